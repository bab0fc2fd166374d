#include "conformance/runner/shared_arena.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace tconv {

namespace {

// Grown in steps of at least this much and at least doubling, so that a sweep of slowly
// growing problems maps anew a few times, not once per row.
constexpr std::size_t kMinGrowth = std::size_t{4} << 20;

std::size_t file_size(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size < 0) return 0;
  return static_cast<std::size_t>(st.st_size);
}

}  // namespace

std::unique_ptr<SharedArena> SharedArena::create(int lowest_fd) {
  int fd = ::memfd_create("tconv-worker-arena", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd >= 0 && fd < lowest_fd) {
    const int high = ::fcntl(fd, F_DUPFD_CLOEXEC, lowest_fd);
    ::close(fd);
    fd = high;
  }
  if (fd < 0) return nullptr;
  ::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK);
  return std::unique_ptr<SharedArena>(new SharedArena(fd));
}

std::unique_ptr<SharedArena> SharedArena::adopt(int fd) {
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
  // Not inherited by what the backend starts (an external server).
  ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC);
  return std::unique_ptr<SharedArena>(new SharedArena(fd));
}

SharedArena::~SharedArena() {
  if (base_ != nullptr) ::munmap(base_, mapped_);
  if (fd_ >= 0) ::close(fd_);
}

bool SharedArena::map_whole_file() {
  if (base_ != nullptr) ::munmap(base_, mapped_);
  base_ = nullptr;
  mapped_ = 0;
  const std::size_t size = file_size(fd_);
  if (size == 0) return false;
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (p == MAP_FAILED) return false;
  base_ = static_cast<char*>(p);
  mapped_ = size;
  return true;
}

char* SharedArena::reserve(std::size_t n) {
  if (n <= mapped_) return base_;
  std::size_t size = file_size(fd_);  // the other side may have grown it already
  if (size < n) {
    size = std::max({n, 2 * size, kMinGrowth});
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return nullptr;
  }
  return map_whole_file() && n <= mapped_ ? base_ : nullptr;
}

const char* SharedArena::view(std::size_t n) {
  if (n <= mapped_) return base_;
  return map_whole_file() && n <= mapped_ ? base_ : nullptr;
}

}  // namespace tconv
