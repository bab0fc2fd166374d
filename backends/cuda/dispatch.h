// Which kernel family runs a problem: the variants of the `cuda` backend, the dispatcher of its
// `default` variant, and the host-side facts every run needs (geometry, device filter format).
// Pure host code: tested without a GPU.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backends/api/problem.h"
#include "backends/cuda/kernel_api.h"

namespace tconv::cuda {

enum class Family : std::uint8_t { gather, phase_gemm, k_equals_s, bwd_weights_gemm };

std::string_view family_name(Family f);

// Ok when family f runs the problem, else unsupported with its one-line reason (the family's own text).
Status family_refuses(Family f, Direction d, const ConvGeometry& g, DType t);

// A variant of the backend: `default` (the dispatcher) or one family alone.
struct CudaVariant {
  std::string name;
  std::optional<Family> family;  // nullopt: default
};

// "default" first, then every built family, in the order gather, phase_gemm, k_equals_s,
// bwd_weights_gemm.
std::vector<std::string> cuda_variant_names();
Result<CudaVariant> parse_cuda_variant(const std::string& name);

// The default variant's preference order for a direction: the fast paths first, gather last
// (it runs everything).
std::vector<Family> dispatch_order(Direction d);

// The family a variant runs the problem with, or the refusal: for `default` the first family of
// dispatch_order that accepts; `skipped` collects the reasons of the families passed over.
struct Choice {
  std::optional<Family> family;
  Status refusal;       // unsupported when family is empty
  std::string skipped;  // "k_equals_s: ...; phase_gemm: ..." (default variant only)
};
Choice choose_family(const CudaVariant& v, Direction d, const ConvGeometry& g, DType t);

// The problem in the kernels' terms.
ConvGeometry make_geometry(const Problem& p);

// The filter format the kernels read: IOHW with NCHW data, IHWO with NHWC (geometry.h). Other
// weight layouts are permuted on the host.
Layout device_filter_layout(Layout data_layout);

}  // namespace tconv::cuda
