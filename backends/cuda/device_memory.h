// Owning device buffers and events (the custom CUDA and the cuDNN backends): created by a
// checked call that returns a Status, released in the destructor, moved but never copied.
// Plus the host <-> device copies both backends make of a HostTensor.
#pragma once

#include <cstddef>
#include <utility>

#include "backends/api/status.h"
#include "backends/api/tensor.h"

struct CUevent_st;
struct CUstream_st;

namespace tconv::cuda {

class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& o) noexcept : p_(std::exchange(o.p_, nullptr)), bytes_(std::exchange(o.bytes_, 0)) {}
  ~DeviceBuffer() { release(); }

  Status allocate(std::size_t bytes);  // 0 bytes: stays null
  void* get() const { return p_; }
  std::size_t bytes() const { return bytes_; }

 private:
  void release();
  void* p_ = nullptr;
  std::size_t bytes_ = 0;
};

class DeviceEvent {
 public:
  DeviceEvent() = default;
  DeviceEvent(const DeviceEvent&) = delete;
  DeviceEvent& operator=(const DeviceEvent&) = delete;
  DeviceEvent(DeviceEvent&& o) noexcept : e_(std::exchange(o.e_, nullptr)) {}
  ~DeviceEvent();

  Status create();
  CUevent_st* get() const { return e_; }

 private:
  CUevent_st* e_ = nullptr;
};

// t into a fresh allocation of *buf, enqueued on `stream`.
Status upload(const HostTensor& t, DeviceBuffer* buf, CUstream_st* stream);
// buf into t (t->bytes() of it), then waits for `stream`.
Status download(const DeviceBuffer& buf, HostTensor* t, CUstream_st* stream);

}  // namespace tconv::cuda
