// libFuzzer target for the repro-string parser. Properties checked on every input:
// no crash, no sanitizer report, a one-line error on rejection, and for anything accepted
// parse_problem(to_repro(p)) == p; validate() and the cost counts never misbehave.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backends/api/problem.h"

namespace {

bool one_line(const std::string& s) { return !s.empty() && s.find_first_of("\r\n") == std::string::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tconv;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Result<Problem> r = parse_problem(text);
  if (!r.ok()) {
    if (!one_line(r.error())) __builtin_trap();
    return 0;
  }
  const Problem& p = r.value();
  const std::string repro = to_repro(p);
  const Result<Problem> back = parse_problem(repro);
  if (!back.ok() || !(back.value() == p) || to_repro(back.value()) != repro) __builtin_trap();

  const Status v = validate(p);
  if (!v.ok()) {
    if (!one_line(v.message)) __builtin_trap();
    return 0;
  }
  // Valid problems promise overflow-free counts (UBSan traps on signed overflow).
  for (Direction d : kAllDirections)
    if (!(flops(p, d) >= 0.0) || !(bytes_moved(p, d) >= 0.0)) __builtin_trap();
  if (numel_x(p) < 1 || numel_y(p) < 1 || numel_w(p) < 1) __builtin_trap();
  return 0;
}
