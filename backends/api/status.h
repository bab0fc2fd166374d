// Errors as values: what check() and run() return. Never an exception across a backend.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tconv {

enum class StatusCode : std::uint8_t {
  ok,
  unsupported,    // the backend cannot run this problem (run() called despite check())
  invalid,        // bad arguments (wrong shapes, missing operand)
  out_of_memory,  // host or device allocation failed
  no_device,      // needs a device this machine does not have
  error,          // anything else the backend reports (a library status, a launch failure)
};

std::string_view to_string(StatusCode c);

struct Status {
  StatusCode code = StatusCode::ok;
  std::string message;  // one line, human: what failed and the likely cause

  bool ok() const { return code == StatusCode::ok; }
  static Status Ok() { return {}; }
  static Status Error(StatusCode c, std::string m) { return {c, std::move(m)}; }
};

// Answer of Backend::check: can this backend run the problem, and if not, the first reason.
struct Support {
  bool ok = true;
  std::string reason;

  static Support yes() { return {}; }
  static Support no(std::string why) { return {false, std::move(why)}; }
};

}  // namespace tconv
