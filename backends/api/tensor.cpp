#include "backends/api/tensor.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace tconv {

HostTensor::HostTensor(DType dtype, Layout layout, const Dims& logical, std::int64_t groups)
    : dtype_(dtype), layout_(layout), dims_(logical), groups_(groups < 1 ? 1 : groups),
      elem_(dtype_size(dtype)) {
  numel_ = dims_[0] * dims_[1] * dims_[2] * dims_[3];
  bytes_.assign(static_cast<std::size_t>(numel_) * elem_, std::byte{0});
}

void HostTensor::fill(double v) {
  for (std::int64_t i = 0; i < numel_; ++i) set(i, v);
}

// Integers have no NaN: an arbitrary mid-range pattern (0x5A...) that a requantized output
// rarely equals, so an unwritten element is still caught almost everywhere.
void HostTensor::poison() {
  if (dtype_ == DType::i8) fill(0x5A);
  else if (dtype_ == DType::i16) fill(0x5A5A);
  else if (dtype_ == DType::i32) fill(0x5A5A5A5A);
  else fill(std::numeric_limits<double>::quiet_NaN());
}

HostTensor HostTensor::to_layout(Layout layout) const {
  HostTensor out(dtype_, layout, dims_, groups_);
  // Raw copies: a layout change never rounds.
  for_each_index(dims_, [&](const Dims& i) {
    std::copy_n(bytes_.data() + offset(i) * elem_, elem_, out.bytes_.data() + out.offset(i) * elem_);
  });
  return out;
}

HostTensor HostTensor::to_dtype(DType dtype) const {
  HostTensor out(dtype, layout_, dims_, groups_);
  for (std::int64_t i = 0; i < numel_; ++i) out.set(i, get(i));
  return out;
}

std::vector<double> HostTensor::logical_values() const {
  std::vector<double> v;
  v.reserve(static_cast<std::size_t>(numel_));
  // Stored in logical order already (the oracle reads every operand through here).
  if (layout_ == Layout::NCHW || layout_ == Layout::IOHW || layout_ == Layout::X) {
    if (dtype_ == DType::f32) {  // the common case, without a conversion call per element
      v.resize(static_cast<std::size_t>(numel_));
      for (std::size_t i = 0; i < v.size(); ++i) {
        float f;
        std::memcpy(&f, bytes_.data() + i * sizeof(float), sizeof f);
        v[i] = f;
      }
      return v;
    }
    for (std::int64_t i = 0; i < numel_; ++i) v.push_back(get(i));
    return v;
  }
  for_each_index(dims_, [&](const Dims& i) { v.push_back(at(i)); });
  return v;
}

}  // namespace tconv
