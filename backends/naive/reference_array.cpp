#include "backends/naive/reference_array.h"

#include <mutex>
#include <unordered_map>
#include <vector>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace tconv::reference_memory {

namespace {

constexpr std::size_t kWorthKeeping = std::size_t{4} << 20;
constexpr std::size_t kKeptAtMost = std::size_t{1} << 30;

// Large blocks are mapped directly (measured faster to refill than blocks from malloc on the
// depthwise layer: 29 against 47 ms); elsewhere they come from operator new.
void* new_block(std::size_t bytes) {
#if defined(__linux__)
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return p;
#else
  return ::operator new(bytes);
#endif
}
void delete_block(void* p, std::size_t bytes) noexcept {
#if defined(__linux__)
  munmap(p, bytes);
#else
  (void)bytes;
  ::operator delete(p);
#endif
}

// Freed large arrays are kept for the next Reference instead of going back to the system: a
// sweep makes references of the same few sizes over and over, and fresh pages cost a fault
// and their zeroing by the kernel, which on the 2-core machine took longer than the oracle's
// sums on depthwise layers. At most 1 GiB is kept; the oldest blocks go first.
class FreeBlocks {
 public:
  // A block of at least `bytes`: the smallest kept one that wastes at most half, else a new one.
  void* take(std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto best = kept_.end();
    for (auto it = kept_.begin(); it != kept_.end(); ++it)
      if (it->bytes >= bytes && it->bytes <= 2 * bytes && (best == kept_.end() || it->bytes < best->bytes)) best = it;
    Block block{nullptr, bytes};
    if (best != kept_.end()) {
      block = *best;
      kept_bytes_ -= best->bytes;
      kept_.erase(best);
    } else {
      block.p = new_block(bytes);
    }
    live_[block.p] = block.bytes;
    return block.p;
  }
  void give_back(void* p) noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = live_.find(p);
    const Block block{p, it->second};
    live_.erase(it);
    try {
      kept_.push_back(block);
    } catch (...) {  // no room to remember it: unmap it now
      return delete_block(block.p, block.bytes);
    }
    kept_bytes_ += block.bytes;
    while (kept_bytes_ > kKeptAtMost) {
      delete_block(kept_.front().p, kept_.front().bytes);
      kept_bytes_ -= kept_.front().bytes;
      kept_.erase(kept_.begin());
    }
  }

 private:
  struct Block {
    void* p;
    std::size_t bytes;
  };
  std::mutex mutex_;
  std::vector<Block> kept_;
  std::size_t kept_bytes_ = 0;
  std::unordered_map<void*, std::size_t> live_;  // blocks in use, with their real size
};

FreeBlocks& free_blocks() {
  static auto* blocks = new FreeBlocks;  // never destroyed: arrays may be freed during exit
  return *blocks;
}

}  // namespace

void* allocate(std::size_t bytes) {
  if (bytes >= kWorthKeeping) return free_blocks().take(bytes);
  return ::operator new(bytes == 0 ? 1 : bytes);
}

void release(void* p, std::size_t bytes) noexcept {
  if (p == nullptr) return;
  if (bytes < kWorthKeeping) return ::operator delete(p);
  free_blocks().give_back(p);  // a vector hands back what it was given: always found
}

}  // namespace tconv::reference_memory
