// Scratch memory that outlives one run: a backend instance keeps it, so repeated runs (the
// benchmarks, the runner's repetitions) do not pay page faults for fresh buffers each time.
#pragma once

#include <cstddef>
#include <memory>

namespace tconv::openmp {

// Floats are handed out in 64-byte aligned pieces.
inline std::size_t aligned_floats(std::size_t count) { return (count + 15) / 16 * 16; }

class Workspace {
 public:
  // At least `count` floats, 64-byte aligned; the contents are unspecified.
  float* floats(std::size_t count);
  std::size_t capacity() const { return capacity_; }

  // The largest request since start_counting(), in bytes: what one run needed (reported in
  // result rows), whatever was kept from earlier runs.
  void start_counting() { requested_ = 0; }
  std::size_t requested_bytes() const { return requested_ * sizeof(float); }

 private:
  struct Free {
    void operator()(float* p) const;
  };
  std::unique_ptr<float, Free> data_;
  std::size_t capacity_ = 0;
  std::size_t requested_ = 0;
};

// Consecutive aligned pieces of one workspace allocation.
class Carver {
 public:
  explicit Carver(float* base) : next_(base) {}
  float* take(std::size_t count) {
    float* r = next_;
    next_ += aligned_floats(count);
    return r;
  }

 private:
  float* next_;
};

}  // namespace tconv::openmp
