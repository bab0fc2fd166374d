// The bulk of a supervised worker's frames (the tensors) crosses through one shared memory
// file instead of the socket. Over a socket a megabyte crosses in socket-buffer-sized
// chunks, each a wake-up of the other process, and is copied in and out of the kernel; here
// it is one copy by the writer, read in place, and the socket carries only the frame's
// length. The exchange strictly alternates (one request, then its response), so one region
// from offset 0 serves both directions.
//
// The runner creates the file (sealed against shrinking: a worker can grow it, never cut a
// mapping short under the runner) and hands it to the worker as an inherited descriptor.
// Whoever writes a frame grows the file when it is too small; whoever reads maps the file
// anew when the frame lies beyond its mapping.
#pragma once

#include <cstddef>
#include <memory>

namespace tconv {

class SharedArena {
 public:
  // The runner's side: a new anonymous file, its descriptor at lowest_fd or above (those
  // below are the worker's fixed ones, which the spawn overwrites), or null when the system
  // has none to give.
  static std::unique_ptr<SharedArena> create(int lowest_fd = 0);
  // The worker's side: the inherited descriptor fd, or null when fd is not a usable file.
  static std::unique_ptr<SharedArena> adopt(int fd);
  ~SharedArena();
  SharedArena(const SharedArena&) = delete;
  SharedArena& operator=(const SharedArena&) = delete;

  int fd() const { return fd_; }
  // Room for n bytes from the start (the file grows when needed); null when it cannot.
  char* reserve(std::size_t n);
  // The first n bytes as the other side wrote them; null when the file holds fewer.
  const char* view(std::size_t n);

 private:
  explicit SharedArena(int fd) : fd_(fd) {}
  bool map_whole_file();  // maps the file's current size

  int fd_ = -1;
  char* base_ = nullptr;
  std::size_t mapped_ = 0;
};

}  // namespace tconv
