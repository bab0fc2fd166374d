#include "backends/onednn/onednn_backend.h"

#ifdef _OPENMP
#include <omp.h>
#endif

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <map>
#include <oneapi/dnnl/dnnl.hpp>

#include "backends/onednn/onednn_mapping.h"

namespace tconv {

namespace {

using dnnl::memory;
using namespace tconv::onednn;

// One primitive ready to run, with the layouts it wants for each argument.
struct Prepared {
  struct Arg {
    int id;
    memory::desc user, chosen;
    bool output;
    memory staging;  // in the chosen layout when it differs from the user's
  };
  dnnl::primitive primitive;
  std::vector<Arg> args;
};

// Weights as oneDNN can read them: OIHW_FLIPPED (negative strides) goes through IOHW.
Layout readable_weight_layout(const Problem& p) {
  return p.weight_layout == Layout::OIHW_FLIPPED ? Layout::IOHW : p.weight_layout;
}

class OneDnnBackend final : public Backend {
 public:
  OneDnnBackend(std::string variant, bool blocked) : variant_(std::move(variant)), blocked_(blocked) {}

  std::string name() const override { return "onednn"; }
  std::string variant() const override { return variant_; }

  Capabilities capabilities() const override {
    Capabilities c;
    c.dtypes = {DType::f32, DType::bf16, DType::f16};  // bf16 / f16 only where this CPU has kernels
    c.layouts.assign(std::begin(kDataLayouts), std::end(kDataLayouts));
    c.weight_layouts.assign(std::begin(kWeightLayouts), std::end(kWeightLayouts));
    c.deterministic = true;  // for a fixed thread count
    c.supervised = true;     // a vendor library: its crash must cost one row, not the run
    return c;
  }

  Status check(const Problem& p, Direction d) const override {
    if (Status s = check_capabilities(capabilities(), p, d); !s.ok()) return s;
    if (d != Direction::bwd_bias && std::min({p.crop_top, p.crop_bottom, p.crop_left, p.crop_right}) < 0)
      return Status::Unsupported(std::string("oneDNN ") + version() +
                                 " rejects negative padding_l / padding_r (a negative crop extends the output)");
    try {
      describe(p, d);
    } catch (const dnnl::error& e) {
      return Status::Unsupported(std::string("oneDNN ") + version() + " has no " + std::string(to_string(p.dtype)) + " " +
                                 std::string(to_string(d)) + " implementation for this problem on this CPU (" + e.what() + ")");
    }
    return Status::Ok();
  }

  Status run(const Problem& p, Direction d, const Operands& ops, RunContext& ctx) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
#ifdef _OPENMP
    // oneDNN's OpenMP runtime uses the caller's thread count.
    const int saved_threads = omp_get_max_threads();
    if (ctx.threads > 0) omp_set_num_threads(ctx.threads);
#endif
    Status status;
    try {
      status = execute(p, d, ops);
    } catch (const dnnl::error& e) {
      status = Status::Error(StatusCode::error, std::string("oneDNN: ") + e.what());
    } catch (const std::bad_alloc&) {
      status = Status::Error(StatusCode::out_of_memory, "oneDNN: allocation failed");
    }
#ifdef _OPENMP
    omp_set_num_threads(saved_threads);
#endif
    return status;
  }

 private:
  static const char* version() {
    static std::string v = [] {
      const dnnl_version_t* ver = dnnl_version();
      return std::to_string(ver->major) + "." + std::to_string(ver->minor) + "." + std::to_string(ver->patch);
    }();
    return v.c_str();
  }

  memory::desc chosen_or_any(const memory::desc& user) const { return blocked_ ? any_like(user) : user; }

  // The primitive descriptor of (p, d); throws dnnl::error when oneDNN cannot do it.
  dnnl::primitive_desc describe(const Problem& p, Direction d) const {
    const Geometry g = geometry(p);
    const memory::desc x = input_desc(p), y = output_desc(p);
    const memory::desc w = any_like(weights_desc(p, readable_weight_layout(p)));
    const auto alg = dnnl::algorithm::deconvolution_direct;
    if (d == Direction::bwd_bias) {
      const memory::desc db({1, p.c_out, 1, 1}, data_type(p.dtype), memory::format_tag::nchw);
      return dnnl::reduction::primitive_desc(
          dnnl::reduction::desc(dnnl::algorithm::reduction_sum, y, db, 0.0f, 0.0f), engine_);
    }
    const auto fwd_desc = p.bias && d == Direction::fwd
                              ? dnnl::deconvolution_forward::desc(dnnl::prop_kind::forward_training, alg, chosen_or_any(x), w,
                                                                  bias_desc(p), chosen_or_any(y), g.strides, g.dilates,
                                                                  g.padding_l, g.padding_r)
                              : dnnl::deconvolution_forward::desc(dnnl::prop_kind::forward_training, alg, chosen_or_any(x), w,
                                                                  chosen_or_any(y), g.strides, g.dilates, g.padding_l,
                                                                  g.padding_r);
    const dnnl::deconvolution_forward::primitive_desc fwd(fwd_desc, engine_);
    if (d == Direction::fwd) return fwd;
    if (d == Direction::bwd_data)
      return dnnl::deconvolution_backward_data::primitive_desc(
          dnnl::deconvolution_backward_data::desc(alg, chosen_or_any(x), w, chosen_or_any(y), g.strides, g.dilates,
                                                  g.padding_l, g.padding_r),
          engine_, fwd);
    return dnnl::deconvolution_backward_weights::primitive_desc(
        dnnl::deconvolution_backward_weights::desc(alg, chosen_or_any(x), w, chosen_or_any(y), g.strides, g.dilates,
                                                   g.padding_l, g.padding_r),
        engine_, fwd);
  }

  Prepared& prepare(const Problem& p, Direction d) {
    const std::string key = std::string(to_string(d)) + " " + to_repro(p);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    if (cache_.size() >= 16) cache_.clear();  // a bounded cache: the benchmarks reuse a few
    const dnnl::primitive_desc pd = describe(p, d);
    Prepared prep;
    const memory::desc w = weights_desc(p, readable_weight_layout(p));
    std::vector<std::pair<int, memory::desc>> user;  // (argument, layout as stored)
    std::vector<int> outputs;
    switch (d) {
      case Direction::fwd:
        prep.primitive = dnnl::primitive(pd);
        user = {{DNNL_ARG_SRC, input_desc(p)}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DST, output_desc(p)}};
        if (p.bias) user.emplace_back(DNNL_ARG_BIAS, bias_desc(p));
        outputs = {DNNL_ARG_DST};
        break;
      case Direction::bwd_data:
        prep.primitive = dnnl::primitive(pd);
        user = {{DNNL_ARG_DIFF_DST, output_desc(p)}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DIFF_SRC, input_desc(p)}};
        outputs = {DNNL_ARG_DIFF_SRC};
        break;
      case Direction::bwd_weights:
        prep.primitive = dnnl::primitive(pd);
        user = {{DNNL_ARG_SRC, input_desc(p)}, {DNNL_ARG_DIFF_DST, output_desc(p)}, {DNNL_ARG_DIFF_WEIGHTS, w}};
        outputs = {DNNL_ARG_DIFF_WEIGHTS};
        break;
      case Direction::bwd_bias:
        prep.primitive = dnnl::primitive(pd);
        user = {{DNNL_ARG_SRC, output_desc(p)},
                {DNNL_ARG_DST, memory::desc({1, p.c_out, 1, 1}, data_type(p.dtype), memory::format_tag::nchw)}};
        outputs = {DNNL_ARG_DST};
        break;
    }
    for (auto& [id, desc] : user) {
      Prepared::Arg a{id, desc, pd.query_md(dnnl::query::exec_arg_md, id), false, {}};
      a.output = std::find(outputs.begin(), outputs.end(), id) != outputs.end();
      if (a.chosen != a.user) a.staging = memory(a.chosen, engine_);
      prep.args.push_back(std::move(a));
    }
    return cache_.emplace(key, std::move(prep)).first->second;
  }

  Status execute(const Problem& p, Direction d, const Operands& ops) {
    Prepared& prep = prepare(p, d);
    // oneDNN cannot stride backwards: flipped weights go through an IOHW copy.
    const bool flipped = p.weight_layout == Layout::OIHW_FLIPPED;
    HostTensor w_plain, dw_plain;
    if (flipped && ops.w && d != Direction::bwd_weights) w_plain = ops.w->to_layout(Layout::IOHW);
    if (flipped && d == Direction::bwd_weights) dw_plain = HostTensor(p.dtype, Layout::IOHW, p.w_dims(), p.groups);
    const auto pointer = [&](int id) -> void* {
      switch (id) {
        case DNNL_ARG_SRC: return const_cast<void*>(d == Direction::bwd_bias ? ops.dy->data() : ops.x->data());
        case DNNL_ARG_WEIGHTS: return const_cast<void*>(flipped ? w_plain.data() : ops.w->data());
        case DNNL_ARG_BIAS: return const_cast<void*>(ops.b->data());
        case DNNL_ARG_DST: return d == Direction::bwd_bias ? ops.db->data() : ops.y->data();
        case DNNL_ARG_DIFF_DST: return const_cast<void*>(ops.dy->data());
        case DNNL_ARG_DIFF_SRC: return ops.dx->data();
        case DNNL_ARG_DIFF_WEIGHTS: return flipped ? dw_plain.data() : ops.dw->data();
        default: return nullptr;
      }
    };
    std::unordered_map<int, memory> args;
    std::vector<std::pair<memory, memory>> write_back;  // (chosen-layout result, user memory)
    for (Prepared::Arg& a : prep.args) {
      memory user(a.user, engine_, pointer(a.id));
      if (!a.staging) {
        args.emplace(a.id, user);
        continue;
      }
      if (a.output) write_back.emplace_back(a.staging, user);
      else dnnl::reorder(user, a.staging).execute(stream_, user, a.staging);
      args.emplace(a.id, a.staging);
    }
    prep.primitive.execute(stream_, args);
    for (auto& [from, to] : write_back) dnnl::reorder(from, to).execute(stream_, from, to);
    stream_.wait();
    if (flipped && d == Direction::bwd_weights) {
      const HostTensor out = dw_plain.to_layout(Layout::OIHW_FLIPPED);
      std::memcpy(ops.dw->data(), out.data(), out.bytes());
    }
    return Status::Ok();
  }

  std::string variant_;
  bool blocked_;
  dnnl::engine engine_{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream_{engine_};
  std::map<std::string, Prepared> cache_;
};

}  // namespace

BackendFactory onednn_backend_factory() {
  return {"onednn", "oneDNN deconvolution primitives (peer); reorders to its own layouts included",
          [] { return std::vector<std::string>{"default", "plain"}; },
          [](const std::string& variant) -> Result<std::unique_ptr<Backend>> {
            if (variant == "default") return std::unique_ptr<Backend>(std::make_unique<OneDnnBackend>(variant, true));
            if (variant == "plain") return std::unique_ptr<Backend>(std::make_unique<OneDnnBackend>(variant, false));
            return Status::Invalid("onednn has no variant '" + variant + "' (variants: default plain)");
          }};
}

}  // namespace tconv
