// A value or the Status that says why there is none: the expected-value form of the one error
// type (status.h). std::expected is C++23 and nvcc builds this tree as C++20; this is the subset
// the tree uses. A failed Result's status is never ok.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "backends/api/status.h"

namespace tconv {

template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  // A failure; `return status;` propagates one. An ok Status carries no value, so it becomes
  // an error rather than a Result that is neither.
  Result(Status error) : status_(std::move(error)) {  // NOLINT: implicit by design
    if (status_.ok()) status_ = Status::Error(StatusCode::error, "a Result was built from an ok Status without a value");
  }
  // A failure with the generic code (StatusCode::error): most failures are told apart by
  // their message only.
  static Result failure(std::string message) { return Status::Error(StatusCode::error, std::move(message)); }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  // The value, or `fallback` on failure (e.g. `factory.create(v).value_or(nullptr)`).
  T value_or(T fallback) && { return value_ ? std::move(*value_) : std::move(fallback); }
  const T& operator*() const { return *value_; }
  const T* operator->() const { return &*value_; }
  // Status::Ok() when holding a value.
  const Status& status() const { return status_; }
  // The failure's one-line message ("" when holding a value).
  const std::string& error() const { return status_.message; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace tconv
