#include "backends/cuda/device_memory.h"

#include <string>

#include "backends/cuda/cuda_check.h"

namespace tconv::cuda {

void DeviceBuffer::release() {
  if (p_) cudaFree(p_);  // a failure here has nobody to report to
  p_ = nullptr;
  bytes_ = 0;
}

Status DeviceBuffer::allocate(std::size_t bytes) {
  release();
  if (bytes == 0) return Status::Ok();
  if (const cudaError_t e = cudaMalloc(&p_, bytes); e != cudaSuccess) {
    p_ = nullptr;
    Status s = cuda_error(e, "cudaMalloc(&p_, bytes)", __FILE__, __LINE__);
    s.message += " (" + std::to_string(bytes) + " bytes)";
    return s;
  }
  bytes_ = bytes;
  return Status::Ok();
}

Status upload(const HostTensor& t, DeviceBuffer* buf, cudaStream_t stream) {
  TCONV_CU_RETURN_IF_ERROR(buf->allocate(t.bytes()));
  TCONV_CU_CHECK(cudaMemcpyAsync(buf->get(), t.data(), t.bytes(), cudaMemcpyHostToDevice, stream));
  return Status::Ok();
}

Status download(const DeviceBuffer& buf, HostTensor* t, cudaStream_t stream) {
  TCONV_CU_CHECK(cudaMemcpyAsync(t->data(), buf.get(), t->bytes(), cudaMemcpyDeviceToHost, stream));
  TCONV_CU_CHECK(cudaStreamSynchronize(stream));
  return Status::Ok();
}

DeviceEvent::~DeviceEvent() {
  if (e_) cudaEventDestroy(e_);
}

Status DeviceEvent::create() {
  if (e_) cudaEventDestroy(e_);
  e_ = nullptr;
  TCONV_CU_CHECK(cudaEventCreate(&e_));
  return Status::Ok();
}

}  // namespace tconv::cuda
