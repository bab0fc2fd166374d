// The arrays of a Reference (and the oracle's working copies): std::vector whose elements
// start uninitialised (resize(n) and vector(n) do not zero them). The oracle writes every
// element exactly once; on outputs of hundreds of MB, zeroing first doubled the memory
// traffic and evicted the lines before the sums reached them. Blocks of 4 MiB and more are
// recycled between arrays (reference_array.cpp), so a sweep's references of similar sizes
// reuse pages that are already mapped instead of faulting in fresh zeroed ones.
//
// Whoever fills a ReferenceArray writes every element (or uses assign(n, value)).
#pragma once

#include <cstddef>
#include <new>
#include <utility>
#include <vector>

namespace tconv {

namespace reference_memory {
// Storage for `bytes` (a recycled block when large); never null.
void* allocate(std::size_t bytes);
void release(void* p, std::size_t bytes) noexcept;
}  // namespace reference_memory

template <class T>
struct UninitializedAllocator {
  using value_type = T;
  UninitializedAllocator() = default;
  template <class U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(reference_memory::allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { reference_memory::release(p, n * sizeof(T)); }
  // Value-initialisation (vector(n), resize(n)) becomes default-initialisation: no zeroing.
  template <class U>
  void construct(U* p) noexcept(noexcept(::new(static_cast<void*>(p)) U)) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <class U>
  bool operator==(const UninitializedAllocator<U>&) const noexcept {
    return true;
  }
};

template <class T>
using ReferenceArray = std::vector<T, UninitializedAllocator<T>>;

// A plain copy, for code (tests, mostly) that compares with or takes std::vector.
template <class T>
std::vector<T> to_vector(const ReferenceArray<T>& a) {
  return std::vector<T>(a.begin(), a.end());
}

}  // namespace tconv
