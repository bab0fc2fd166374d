#include "backends/api/status.h"

#include <ostream>

namespace tconv {

std::string_view to_string(StatusCode c) {
  switch (c) {
    case StatusCode::ok: return "ok";
    case StatusCode::unsupported: return "unsupported";
    case StatusCode::invalid: return "invalid";
    case StatusCode::out_of_memory: return "out_of_memory";
    case StatusCode::no_device: return "no_device";
    case StatusCode::error: return "error";
  }
  return "?";
}

std::string to_string(const Status& s) {
  if (s.ok()) return "ok";
  return std::string(to_string(s.code)) + ": " + s.message;
}

std::ostream& operator<<(std::ostream& os, const Status& s) { return os << to_string(s); }

}  // namespace tconv
