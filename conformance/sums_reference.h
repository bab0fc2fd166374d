// A fast reference from any engine that sums in f64 in a fixed order: the engine computes the
// values, the same sums over |operands| give each element's S = sum |a_k*b_k|, and over ones
// on the problem cut to one image and channel its K (the tolerance needs both,
// conformance/tolerance.h); a fwd bias is added afterwards, as the oracle adds it. Engines:
// openmp:f64acc on the CPU (f64acc_reference.h) and, on a GPU machine, a device backend run
// on the problem widened to f64 (cuda:gather; device_reference.h).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backends/api/backend.h"
#include "backends/naive/oracle.h"

namespace tconv {

// Direction d's sums over the operands' values (with `magnitudes`, over their magnitudes),
// unrounded, in logical C order; nullopt where the engine cannot serve. `ops` holds no bias
// (p.bias may still be set) and no output. In a Reference's own array type, so the sums move
// into the Reference without a copy (and its large blocks are recycled between references).
using SumsEngine = std::function<std::optional<ReferenceArray<double>>(const Problem& p, Direction d, const Operands& ops,
                                                                     bool magnitudes)>;

// The full Reference (value, abs_sum, terms, and pre_bias for fwd with a bias) labelled
// `origin`, or nullopt where the engine does not serve.
std::optional<Reference> sums_reference(const SumsEngine& sums, const Problem& p, Direction d, const Operands& ops,
                                        const std::string& origin);

// An engine over a backend that sums in f64 when the problem's dtype is f64: runs it on the
// problem widened to f64 (f32, f16 and bf16 values widen exactly) without its bias, so its
// f64 output is the sums themselves. nullopt when the backend refuses or fails; the status of
// that failure goes to *failure when given.
SumsEngine widened_backend_sums(Backend& backend, Status* failure = nullptr);

}  // namespace tconv
