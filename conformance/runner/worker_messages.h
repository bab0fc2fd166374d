// The messages between the runner and a supervised worker (same machine, same build: native
// byte order, a magic word, no versioning). One request, one response:
//   check: may these variants run the problem in these directions? (check() itself may crash
//          inside a vendor library); one request answers every variant and direction of a
//          case, so that a sweep pays one round trip per case, not one per row
//   run:   the inputs go in; the output, status, timing and run details come back
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "backends/api/backend.h"
#include "conformance/runner/timed_call.h"
#include "conformance/runner/wire.h"

namespace tconv {

enum class WorkerRequestKind : std::uint64_t { check = 1, run = 2 };

struct CheckItem {
  std::string spec;  // "name:variant"
  Direction direction = Direction::fwd;
};

struct WorkerRequest {
  WorkerRequestKind kind = WorkerRequestKind::run;
  Problem problem;
  std::vector<CheckItem> checks;  // check
  std::string spec;               // run: "name:variant"
  Direction direction = Direction::fwd;
  RunContext ctx;
  PerfOptions perf;
};

// Into *out (emptied first; keep it across requests to reuse its capacity). It points at the
// inputs' data, which must outlive its sending.
void encode_request(const WorkerRequest& r, const Operands& inputs, WireMessage* out);

// The worker's side: the request with its inputs, which live in *storage (x, w, b, dy).
struct DecodedRequest {
  WorkerRequest request;
  HostTensor storage[4];
  Operands inputs;
};
// "" or why the bytes are not a request.
std::string decode_request(std::string_view bytes, DecodedRequest* out);

struct CheckAnswer {
  std::string error;  // the worker could not create the variant
  Status support;    // else its check()
};

struct WorkerResponse {
  std::string setup_error;           // the worker could not serve the request
  std::vector<CheckAnswer> answers;  // check: one per item, in order
  CallResult call;                   // run
};

// Into *out (emptied first; keep it across responses to reuse its capacity). It points at the
// output's data, which must outlive its sending.
void encode_response(const WorkerResponse& r, const HostTensor* output, WireMessage* out);
// Decodes into *r; a run's output is copied into *output (allocated by the caller, may be
// null for check). "" or why the bytes are not a complete response.
std::string decode_response(std::string_view bytes, WorkerResponse* r, HostTensor* output);

// output_of(ops, d), the output tensor of direction d, is in backends/api/backend.h.

}  // namespace tconv
