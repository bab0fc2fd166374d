#include "conformance/runner/worker_main.h"

#include <map>
#include <memory>

#include "conformance/fill.h"
#include "conformance/runner/fatal_signal_trace.h"
#include "conformance/runner/supervised_worker.h"
#include "conformance/runner/timed_call.h"
#include "conformance/runner/worker_messages.h"

namespace tconv {

std::vector<std::string> isolated_worker_extra_args(int argc, char** argv) { return worker_extra_args(argc, argv); }

int serve_isolated_worker(int argc, char** argv, const Registry& registry) {
  if (!is_worker_invocation(argc, argv)) return -1;
  install_fatal_signal_trace();
  // One instance per variant, kept across requests (plan caches stay warm).
  std::map<std::string, std::unique_ptr<Backend>> instances;
  auto backend = [&](const std::string& spec) -> Result<Backend*> {
    auto it = instances.find(spec);
    if (it != instances.end()) return it->second.get();
    try {
      Result<std::unique_ptr<Backend>> b = registry.create(spec);
      if (!b.ok()) return b.status();
      return (instances[spec] = std::move(b).value()).get();
    } catch (const std::exception& e) {
      return Status::Error(StatusCode::error, std::string("exception: ") + e.what());
    }
  };
  // The response points at the output: both live until the next request.
  WireMessage response_message;
  HostTensor out;
  auto respond = [&](const WorkerResponse& response, const HostTensor* output) -> const WireMessage& {
    encode_response(response, output, &response_message);
    return response_message;
  };
  return serve_worker_socket(worker_socket_fd(argv), [&](std::string_view bytes) -> const WireMessage& {
    DecodedRequest in;
    WorkerResponse response;
    if (std::string why = decode_request(bytes, &in); !why.empty()) {
      response.setup_error = "the runner sent " + why;
      return respond(response, nullptr);
    }
    const WorkerRequest& r = in.request;
    if (r.kind == WorkerRequestKind::check) {
      for (const CheckItem& c : r.checks) {
        CheckAnswer answer;
        if (const Result<Backend*> b = backend(c.spec); !b.ok()) {
          answer.error = b.error().empty() ? "cannot create backend " + c.spec : b.error();
        } else {
          try {
            answer.support = (*b)->check(r.problem, c.direction);
          } catch (const std::exception& e) {
            answer.error = std::string("check() threw: ") + e.what();
          }
        }
        response.answers.push_back(std::move(answer));
      }
      return respond(response, nullptr);
    }
    const Result<Backend*> made = backend(r.spec);
    if (!made.ok()) {
      response.setup_error = made.error().empty() ? "cannot create backend " + r.spec : made.error();
      return respond(response, nullptr);
    }
    Backend* b = *made;
    out = make_output(r.problem, r.direction);
    const Operands ops = with_output(in.inputs, r.direction, out);
    RunContext ctx = r.ctx;
    response.call = timed_call(*b, r.problem, r.direction, ops, ctx, r.perf);
    return respond(response, response.call.status.ok() ? &out : nullptr);
  });
}

}  // namespace tconv
