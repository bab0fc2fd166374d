// Test backends that compute the way fast convolution algorithms do, in f32, and must PASS
// under the norm-wise criterion (issue 14):
//   test_winograd_f2x2_3x3, test_winograd_f4x4_3x3  Winograd minimal filtering F(m x m, 3 x 3)
//        (Lavin & Gray 2016): input tiles B^T d B, filters G g G^T, elementwise products summed
//        over channels, output tiles A^T M A. 3x3 kernels, dilation 1, and stride 1 for fwd
//        (a correlation with the flipped kernel); bwd_data at stride 1 too. Else UNSUPPORTED.
//   test_fft  the correlation through 2D radix-2 FFTs of the zero-padded planes, products
//        summed over channels in the frequency domain, one inverse FFT per output plane;
//        fwd and bwd_data, any kernel, stride and dilation.
// Both work on correlation_form.h and add the bias after the transform, in f32.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backends/api/backend.h"

namespace tconv::testing {

std::unique_ptr<Backend> make_transform_model(const std::string& name);
const std::vector<std::string>& transform_model_names();

}  // namespace tconv::testing
