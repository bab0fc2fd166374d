#include "backends/openmp/workspace.h"

#include <algorithm>
#include <cstdlib>
#include <new>

namespace tconv::openmp {

void Workspace::Free::operator()(float* p) const { std::free(p); }

float* Workspace::floats(std::size_t count) {
  requested_ = std::max(requested_, count);
  if (count > capacity_) {
    const std::size_t bytes = aligned_floats(count) * sizeof(float);
    data_.reset();  // release first: peak memory stays at one buffer
    capacity_ = 0;
    auto* p = static_cast<float*>(std::aligned_alloc(64, bytes));
    if (!p) throw std::bad_alloc();
    data_.reset(p);
    capacity_ = aligned_floats(count);
  }
  return data_.get();
}

}  // namespace tconv::openmp
