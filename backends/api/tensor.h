// Host tensors: logical dims + layout + dtype over one densely packed buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "backends/api/dtype.h"
#include "backends/api/layout.h"

namespace tconv {

class HostTensor {
 public:
  HostTensor() = default;
  // `logical` is [N, C, H, W] for data, [C_in, C_out/g, kH, kW] for weights, [C, 1, 1, 1]
  // for X. `groups` is needed by OIHW_FLIPPED only. Contents start as zeros.
  HostTensor(DType dtype, Layout layout, const Dims& logical, std::int64_t groups = 1);

  DType dtype() const { return dtype_; }
  Layout layout() const { return layout_; }
  const Dims& dims() const { return dims_; }
  std::int64_t groups() const { return groups_; }
  std::int64_t numel() const { return numel_; }
  std::size_t bytes() const { return bytes_.size(); }
  bool empty() const { return numel_ == 0; }

  void* data() { return bytes_.data(); }
  const void* data() const { return bytes_.data(); }
  template <class T> T* as() { return reinterpret_cast<T*>(bytes_.data()); }
  template <class T> const T* as() const { return reinterpret_cast<const T*>(bytes_.data()); }

  Dims physical_dims() const { return tconv::physical_dims(layout_, dims_, groups_); }
  std::int64_t offset(const Dims& logical_index) const {
    return element_offset(layout_, dims_, groups_, logical_index);
  }

  // Element access by physical offset, converting through double (stores round).
  double get(std::int64_t offset) const { return load_element(bytes_.data() + offset * elem_, dtype_); }
  void set(std::int64_t offset, double v) { store_element(bytes_.data() + offset * elem_, dtype_, v); }
  // Element access by logical index.
  double at(const Dims& i) const { return get(offset(i)); }
  void put(const Dims& i, double v) { set(offset(i), v); }

  void fill(double v);
  void poison();  // NaN everywhere (integers: 0x5A..): an element a backend never writes is caught

  // Same values in another layout / dtype (dtype conversion rounds to nearest even).
  HostTensor to_layout(Layout layout) const;
  HostTensor to_dtype(DType dtype) const;
  // All values in logical C order (NCHW / IOHW / X) as doubles.
  std::vector<double> logical_values() const;

 private:
  DType dtype_ = DType::f32;
  Layout layout_ = Layout::NCHW;
  Dims dims_{0, 0, 0, 0};
  std::int64_t groups_ = 1;
  std::int64_t numel_ = 0;
  std::size_t elem_ = 4;
  std::vector<std::byte> bytes_;
};

// Calls f(logical_index) for every element in logical C order.
template <class F>
void for_each_index(const Dims& d, F&& f) {
  for (std::int64_t a = 0; a < d[0]; ++a)
    for (std::int64_t b = 0; b < d[1]; ++b)
      for (std::int64_t c = 0; c < d[2]; ++c)
        for (std::int64_t e = 0; e < d[3]; ++e) f(Dims{a, b, c, e});
}

}  // namespace tconv
