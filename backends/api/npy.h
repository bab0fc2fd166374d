// NumPy .npy read and write (format 1.0/2.0/3.0 on read, 1.0 on write when the header fits).
// Accepted: little-endian, C order, '<f2' (f16), '<f4' (f32), '<f8' (f64), '|i1' (i8), '<i2'
// (i16), '<i4' (i32). bf16 tensors are exchanged as '<f4' and rounded on load; integer tensors
// are written as their own descr and loaded exactly (a non-integer or out-of-range value is
// an error, whatever the file's descr). Anything else (Fortran order, big-endian, other
// descrs, truncated or corrupt files) is a one-line error naming the file; never a crash.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backends/api/result.h"
#include "backends/api/tensor.h"

namespace tconv {

struct NpyArray {
  std::vector<std::int64_t> shape;
  DType dtype = DType::f32;   // as stored in the file (f16, f32, f64, i8, i16 or i32)
  std::vector<double> values; // C order
};

Result<NpyArray> read_npy(const std::string& path);
Result<NpyArray> parse_npy(const std::string& bytes, const std::string& name_for_errors);

// Writes the tensor in its physical layout and shape (physical_dims; rank 1 for X).
// bf16 is written as '<f4'. An error names the file.
Status write_npy(const std::string& path, const HostTensor& t);
// The file's bytes (cannot fail).
std::string npy_bytes(const HostTensor& t);

// Loads a file into a tensor of the given dtype / layout / logical dims: the file's shape
// must equal the layout's physical shape. Values are rounded to `dtype`.
Result<HostTensor> load_npy_tensor(const std::string& path, DType dtype, Layout layout,
                                   const Dims& logical, std::int64_t groups = 1);

}  // namespace tconv
