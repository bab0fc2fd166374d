#include "conformance/runner/isolation.h"

namespace tconv {

Result<Isolation> parse_isolation(std::string_view text) {
  if (text == "none") return Isolation::none;
  if (text == "device") return Isolation::device;
  if (text == "all" || text.empty()) return Isolation::all;  // a bare --isolate keeps meaning all
  return Result<Isolation>::failure("--isolate: '" + std::string(text) + "' is not one of none, device, all");
}

const char* to_string(Isolation mode) {
  switch (mode) {
    case Isolation::none: return "none";
    case Isolation::device: return "device";
    case Isolation::all: return "all";
  }
  return "?";
}

bool runs_supervised(Isolation mode, const Capabilities& caps) {
  switch (mode) {
    case Isolation::none: return false;
    case Isolation::device: return caps.supervised || caps.on_device;
    case Isolation::all: return true;
  }
  return false;
}

bool checks_in_worker(const Capabilities& caps) { return caps.supervised || caps.on_device; }

}  // namespace tconv
