// The one error type of the tree (docs/design.md, "Errors"): a Status is a code and a one-line
// message; Result<T> (result.h) is a value or a Status. Errors are values: never an exception
// across a backend, never an empty string meaning success.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

namespace tconv {

enum class StatusCode : std::uint8_t {
  ok,
  unsupported,    // the backend cannot run this problem (check()'s refusal, or run() despite it)
  invalid,        // bad arguments or input (wrong shapes, missing operand, a malformed file)
  out_of_memory,  // host or device allocation failed
  no_device,      // needs a device this machine does not have
  error,          // anything else (a library status, a launch failure, an I/O error)
};

std::string_view to_string(StatusCode c);

struct Status {
  StatusCode code = StatusCode::ok;
  std::string message;  // one line, human: what failed and the likely cause ("" when ok)

  bool ok() const { return code == StatusCode::ok; }
  static Status Ok() { return {}; }
  static Status Error(StatusCode c, std::string m) { return {c, std::move(m)}; }
  // Backend::check's answer when the backend cannot run the problem: the first rule it breaks.
  static Status Unsupported(std::string why) { return {StatusCode::unsupported, std::move(why)}; }
  static Status Invalid(std::string why) { return {StatusCode::invalid, std::move(why)}; }

  bool operator==(const Status&) const = default;
};

// "ok", or "<code>: <message>" (logs and test failure messages).
std::string to_string(const Status& s);
std::ostream& operator<<(std::ostream& os, const Status& s);  // to_string(s); GoogleTest prints it

}  // namespace tconv
