// The external-process protocol's documents (PROTOCOL.md): problem.json written for the
// command, its capabilities (`CMD --capabilities`) and timing.json read back.
#pragma once

#include <optional>
#include <string>

#include "backends/api/backend.h"
#include "backends/api/result.h"

namespace tconv {

// The file name of each operand in the work dir: "x.npy", "w.npy", "b.npy", "dy.npy" and the
// outputs "y.npy", "dx.npy", "dw.npy", "db.npy".

// problem.json: the canonical problem, direction, layouts, dtype, input files and the output
// file with its expected shape (physical, C order).
std::string problem_json(const Problem& p, Direction d);

// What `CMD --capabilities` may print (a JSON object; every key optional).
struct ExternalDeclaration {
  Capabilities capabilities;
  std::optional<MathMode> math;  // "math": {"name", "u_mul", "u_acc"} (float problems)
  int accumulator_bits = 0;      // "accumulator_bits" (integer problems; 0 = exact)

  // The arithmetic of one problem: integer problems use the declared accumulator width,
  // float problems the declared math (or the dtype's default).
  MathMode math_for(DType t) const;
};
Result<ExternalDeclaration> parse_capabilities(const std::string& json_text);

// What a command (timing.json) or a server (its reply) may say about one call, every field
// optional: "device_time_ms" (its own measurement of the compute), "staging_time_ms" (its
// transfers or layout copies around it, shown apart), "algorithm" (what it ran, e.g. a
// bitstream or kernel configuration), "workspace_bytes", "deterministic".
struct CallReport {
  std::optional<double> device_time_ms;
  std::optional<double> staging_time_ms;
  RunDetails details;
};
// The report fields of a JSON object's text; the error names the first malformed field.
Result<CallReport> parse_call_report(const std::string& json_object_text);

// timing.json {"device_time_ms": 1.5, ...}: parse_call_report with the file's name in errors.
Result<CallReport> parse_timing(const std::string& json_text);

}  // namespace tconv
