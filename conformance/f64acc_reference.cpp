#include "conformance/f64acc_reference.h"

#include "conformance/sums_reference.h"

#ifdef TCONV_HAVE_F64ACC
#include <omp.h>

#include "backends/openmp/f64acc.h"
#endif

namespace tconv {

std::optional<Reference> f64acc_reference(const Problem& p, Direction d, const Operands& ops) {
#ifdef TCONV_HAVE_F64ACC
  if (is_integer(p.dtype) || !openmp::f64acc_supports(p.dtype)) return std::nullopt;
  // One workspace for the values, S and K: its buffers are reused between the three.
  openmp::Workspace ws;
  openmp::F64Operands f;
  const SumsEngine f64acc = [&](const Problem& q, Direction dir, const Operands& in,
                                bool magnitudes) -> std::optional<std::vector<double>> {
    f.magnitudes = magnitudes;
    openmp::f64acc_sums(q, dir, in, omp_get_max_threads(), ws, f);
    const Dims dims = q.output_dims(dir);
    std::vector<double> sums = std::move(f.out);
    sums.resize(static_cast<std::size_t>(dims[0] * dims[1] * dims[2] * dims[3]));
    f.out = {};
    return sums;
  };
  return sums_reference(f64acc, p, d, ops, "openmp:f64acc");
#else
  (void)p, (void)d, (void)ops;
  return std::nullopt;
#endif
}

}  // namespace tconv
