// A peer backend over oneDNN 2.6's deconvolution primitives (fwd, bwd_data, bwd_weights) and
// its reduction (bwd_bias). Variants: "default" lets oneDNN choose its (blocked) layouts and
// reorders the operands in and out inside each call; "plain" makes it compute on the
// problem's own NCHW / NHWC layouts. check() asks oneDNN itself, so whatever it cannot do on
// this CPU (f16 without AVX512-FP16, say) is UNSUPPORTED with oneDNN's reason.
#pragma once

#include "backends/api/registry.h"

namespace tconv {

BackendFactory onednn_backend_factory();

}  // namespace tconv
