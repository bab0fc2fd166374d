// Replace compute() with your implementation; keep the rest. Each part says what the runner
// expects of it.
#include "backends/template/template_backend.h"

#include <vector>

namespace tconv {

namespace {

constexpr std::int64_t kMaxTaps = 64 * 64;  // an example of a limit that check() reports

// Direct loops over (input pixel, tap) pairs, f64 accumulation; reads and writes through
// logical indices (HostTensor::at / put), so the storage layout does not matter here.
void compute(const Problem& p, Direction d, const Operands& ops, HostTensor& out) {
  const std::int64_t cig = p.c_in / p.groups, cog = p.c_out / p.groups;
  std::vector<double> acc(static_cast<std::size_t>(out.numel()), 0.0);
  auto slot = [&](const Dims& i) -> double& { return acc[static_cast<std::size_t>(out.offset(i))]; };
  if (d == Direction::bwd_bias) {
    for_each_index(p.y_dims(), [&](const Dims& i) { slot({i[1], 0, 0, 0}) += ops.dy->at(i); });
  } else {
    for (std::int64_t n = 0; n < p.n; ++n)
      for (std::int64_t ci = 0; ci < p.c_in; ++ci)
        for (std::int64_t o = 0; o < cog; ++o)
          for (std::int64_t ih = 0; ih < p.h_in; ++ih)
            for (std::int64_t iw = 0; iw < p.w_in; ++iw)
              for (std::int64_t kh = 0; kh < p.kh; ++kh)
                for (std::int64_t kw = 0; kw < p.kw; ++kw) {
                  // Transposed convolution scatters input pixel (ih, iw) through tap (kh, kw) to
                  // output (ih*s - crop_begin + kh*d); crops may push it outside.
                  const std::int64_t oh = ih * p.stride_h - p.crop_top + kh * p.dil_h;
                  const std::int64_t ow = iw * p.stride_w - p.crop_left + kw * p.dil_w;
                  if (oh < 0 || oh >= p.h_out() || ow < 0 || ow >= p.w_out()) continue;
                  const std::int64_t oc = ci / cig * cog + o;
                  const Dims x{n, ci, ih, iw}, w{ci, o, kh, kw}, y{n, oc, oh, ow};
                  if (d == Direction::fwd) slot(y) += ops.x->at(x) * ops.w->at(w);
                  else if (d == Direction::bwd_data) slot(x) += ops.dy->at(y) * ops.w->at(w);
                  else slot(w) += ops.x->at(x) * ops.dy->at(y);
                }
    if (d == Direction::fwd && p.bias)
      for_each_index(p.y_dims(), [&](const Dims& i) { slot(i) += ops.b->at({i[1], 0, 0, 0}); });
  }
  for (std::int64_t e = 0; e < out.numel(); ++e) out.set(e, acc[static_cast<std::size_t>(e)]);
}

class TemplateBackend final : public Backend {
 public:
  std::string name() const override { return "template"; }

  // What the backend can do. The default check() turns every gap into an UNSUPPORTED row with
  // a one-line reason before anything is allocated; declare honestly rather than fail in run().
  Capabilities capabilities() const override {
    Capabilities c;
    c.dtypes = {DType::f32, DType::f64};
    c.layouts = {Layout::NCHW};
    c.weight_layouts = {Layout::IOHW};
    // c.directions = {Direction::fwd};  // e.g. a forward-only backend
    c.groups = c.dilation = c.asymmetric_crops = c.negative_crops = true;
    c.on_device = false;  // true: the runner runs one case at a time and reads device time
    return c;
  }

  // Rules the capabilities cannot express: the default first (validity, capabilities), then
  // your own, each with a reason that names the rule and the values.
  Status check(const Problem& p, Direction d) const override {
    if (Status s = Backend::check(p, d); !s.ok()) return s;
    if (p.kh * p.kw > kMaxTaps)
      return Status::Unsupported("template: kernel " + std::to_string(p.kh) + "x" + std::to_string(p.kw) + " has more than " +
                                 std::to_string(kMaxTaps) + " taps");
    return Status::Ok();
  }

  // The arithmetic actually performed; the tolerance follows it. Here: exact products, f64
  // sums, one rounding into the stored type (as the oracle). A GPU kernel in f32 returns
  // default_math(p.dtype); one using TF32 tensor cores returns tf32_math().
  MathMode math(const Problem&) const override { return {"f64acc", 0.0, 0x1p-53}; }

  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    HostTensor* out = d == Direction::fwd ? ops.y : d == Direction::bwd_data ? ops.dx
                      : d == Direction::bwd_weights ? ops.dw : ops.db;
    compute(p, d, ops, *out);  // errors are returned as Status values, never thrown or exit()ed
    return Status::Ok();
  }

  // A device backend records the compute part of run() with device events (cudaEventRecord
  // around the kernels, cudaEventElapsedTime after) and returns it here; the runner's --perf
  // then reports device time instead of wall time.
  std::optional<double> last_device_time_ms() const override { return std::nullopt; }
};

}  // namespace

BackendFactory template_backend_factory() {
  return {"template", "the backend template: direct loops, f64 accumulation (backends/README.md)",
          [] { return std::vector<std::string>{"default"}; },
          [](const std::string& variant) -> Result<std::unique_ptr<Backend>> {
            if (variant != "default") return Status::Invalid("template has only the variant 'default'");
            return std::unique_ptr<Backend>(std::make_unique<TemplateBackend>());
          }};
}

}  // namespace tconv
