#include "backends/cudnn/declared_math.h"

namespace tconv::cudnn {

AlgorithmClass algorithm_class(std::string_view name) {
  if (name.find("WINOGRAD") != std::string_view::npos) return AlgorithmClass::winograd;
  if (name.find("FFT") != std::string_view::npos) return AlgorithmClass::fft;
  if (name.find("DIRECT") != std::string_view::npos) return AlgorithmClass::direct;
  return AlgorithmClass::implicit_gemm;
}

MathMode variant_math(const Variant& v, const Problem& p, Direction d, std::string_view ran) {
  MathMode m = v.tf32 && p.dtype == DType::f32 ? tf32_math() : one_rounding_math(p.dtype, AlgorithmClass::implicit_gemm);
  if (is_integer(p.dtype)) return default_math(p.dtype);
  m.algorithm = algorithm_class(v.algo != nullptr ? std::string_view(v.algo->name) : ran);
  if (p.dtype == DType::f16 || p.dtype == DType::bf16) {
    m.truncating_acc = true;
    if (d == Direction::fwd && p.bias) {
      m.separate_bias = true;
      m.output_roundings = 2;
    }
  }
  return m;
}

}  // namespace tconv::cudnn
