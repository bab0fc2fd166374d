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
  // One workspace and set of operand buffers for the values, S and K, kept by the thread from
  // one reference to the next as the openmp:f64acc backend keeps its own between runs: fresh
  // f64 copies of the operands cost more in page faults than the sums (depthwise fwd: 267 ->
  // 108 ms with this and the copy-free Reference arrays). The sums are copied out into a
  // Reference array, so f.out keeps its pages too.
  thread_local openmp::Workspace ws;
  thread_local openmp::F64Operands f;
  const SumsEngine f64acc = [&](const Problem& q, Direction dir, const Operands& in,
                                bool magnitudes) -> std::optional<ReferenceArray<double>> {
    f.magnitudes = magnitudes;
    openmp::f64acc_sums(q, dir, in, omp_get_max_threads(), ws, f);
    const Dims dims = q.output_dims(dir);
    const auto n = static_cast<std::ptrdiff_t>(dims[0] * dims[1] * dims[2] * dims[3]);
    return ReferenceArray<double>(f.out.begin(), f.out.begin() + n);
  };
  return sums_reference(f64acc, p, d, ops, "openmp:f64acc");
#else
  (void)p, (void)d, (void)ops;
  return std::nullopt;
#endif
}

}  // namespace tconv
