#include "backends/cudnn/graph_selection.h"

#include <algorithm>
#include <limits>

#include "backends/cudnn/check.h"
#include "backends/cudnn/raii.h"

namespace tconv::cudnn {

namespace {

std::vector<HeuristicsMode> modes_of(GraphSelection s) {
  switch (s) {
    case GraphSelection::heur_b: return {HeuristicsMode::b, HeuristicsMode::fallback};
    case GraphSelection::fallback: return {HeuristicsMode::fallback};
    default: return {HeuristicsMode::a, HeuristicsMode::fallback};
  }
}

// "TENSOR_CORE, FFT": config i's numerical notes.
std::string notes_of(const FrontendGraph& g, std::int64_t i) {
  std::string text;
  for (const std::string& n : g.numerical_notes(i)) text += (text.empty() ? "" : ", ") + n;
  return text;
}

// What a row's algorithm column says: the engine, its config, where it came from and its
// numerical notes (an FFT or Winograd engine is then judged as such: declared_math.h).
std::string config_label(const FrontendGraph& g, const Candidates& c, std::size_t pos) {
  const std::int64_t i = c.order[pos];
  const std::string notes = notes_of(g, i);
  return "engine " + std::to_string(g.engine_of(i)) + " (" + g.config_name(i) + ", " + c.sources[pos] +
         (notes.empty() ? "" : "; notes " + notes) + ")";
}

std::size_t bytes_of(const GraphTensor& t, DType d) {
  return static_cast<std::size_t>(t.dims[0] * t.dims[1] * t.dims[2] * t.dims[3]) * dtype_size(d);
}

// Builds candidate `pos`; "" when it is usable within the limit, else why not.
std::string try_build(FrontendGraph& g, const Candidates& c, std::size_t pos, std::size_t limit) {
  const std::int64_t i = c.order[pos];
  if (Status s = g.build(i); !s.ok()) return s.message.substr(0, s.message.find("; graph:"));
  if (g.workspace(i) > limit)
    return "needs " + std::to_string(g.workspace(i)) + " bytes of workspace, over the limit of " + std::to_string(limit);
  return "";
}

// One plan on scratch buffers: median of 3 CUDA-event timed runs after one warm-up.
Status time_plan(DeviceContext& ctx, const FrontendGraph& g, std::int64_t i, const ConvPointers& p, void* bias,
                 float* ms) {
  TCONV_RETURN_IF_ERROR(g.execute(ctx.handle, i, p, bias));
  std::vector<double> times(3);
  for (double& t : times)
    TCONV_RETURN_IF_ERROR(time_on_stream(ctx.stream, [&] { return g.execute(ctx.handle, i, p, bias); }, &t));
  std::sort(times.begin(), times.end());
  *ms = static_cast<float>(times[1]);
  return Status::Ok();
}

// Autotune: every candidate that builds and fits, timed on its own scratch buffers (the run's
// operands are never touched); the fastest wins.
Status autotune(DeviceContext& ctx, GraphChoice* c, std::size_t limit) {
  FrontendGraph& g = *c->graph;
  const GraphPlan& gp = g.plan();
  std::vector<std::size_t> usable;
  std::size_t max_ws = 0;
  for (std::size_t pos = 0; pos < c->candidates.order.size(); ++pos) {
    if (std::string why = try_build(g, c->candidates, pos, limit); !why.empty()) {
      c->rejected += "; " + config_label(g, c->candidates, pos) + ": " + why;
      continue;
    }
    usable.push_back(pos);
    max_ws = std::max(max_ws, g.workspace(c->candidates.order[pos]));
  }
  if (usable.empty()) return Status::Ok();  // the caller reports "no config"
  DeviceBuffer large, filter, small, bias, workspace;
  TCONV_RETURN_IF_ERROR(large.allocate(bytes_of(gp.x, gp.dtype)));
  TCONV_RETURN_IF_ERROR(filter.allocate(bytes_of(gp.w, gp.dtype)));
  TCONV_RETURN_IF_ERROR(small.allocate(bytes_of(gp.y, gp.dtype)));
  TCONV_RETURN_IF_ERROR(bias.allocate(static_cast<std::size_t>(gp.x.dims[1]) * dtype_size(gp.dtype)));
  TCONV_RETURN_IF_ERROR(workspace.allocate(max_ws));
  // Zeros: timing must not depend on NaN or denormal garbage.
  for (DeviceBuffer* b : {&large, &filter, &small, &bias})
    TCONV_CUDA_CHECK(cudaMemsetAsync(b->get(), 0, b->bytes(), ctx.stream));
  const ConvPointers p{large.get(), small.get(), filter.get(), workspace.get()};
  float best = std::numeric_limits<float>::infinity();
  for (std::size_t pos : usable) {
    float ms = 0;
    if (Status s = time_plan(ctx, g, c->candidates.order[pos], p, bias.get(), &ms); !s.ok()) {
      c->rejected += "; " + config_label(g, c->candidates, pos) + ": " + s.message.substr(0, s.message.find("; graph:"));
      continue;
    }
    if (ms < best) {
      best = ms;
      c->position = pos;
    }
  }
  if (best == std::numeric_limits<float>::infinity()) return Status::Ok();
  c->workspace = g.workspace(c->candidates.order[c->position]);
  c->name = config_label(g, c->candidates, c->position) + ", autotuned over " + std::to_string(usable.size()) + " plans";
  return Status::Ok();
}

// The first candidate from `from` on that builds and fits; position = size when none.
void first_usable(GraphChoice* c, std::size_t from, std::size_t limit) {
  FrontendGraph& g = *c->graph;
  for (c->position = from; c->position < c->candidates.order.size(); ++c->position) {
    std::string why = try_build(g, c->candidates, c->position, limit);
    if (why.empty()) {
      c->workspace = g.workspace(c->candidates.order[c->position]);
      c->name = config_label(g, c->candidates, c->position);
      return;
    }
    c->rejected += "; " + config_label(g, c->candidates, c->position) + ": " + why;
  }
}

Status none_fits(const GraphChoice& c) {
  return Status::Error(StatusCode::unsupported, "no cuDNN graph engine config runs this problem: " +
                                                    std::to_string(c.candidates.order.size()) + " configs" +
                                                    (c.rejected.empty() ? " (none returned)" : c.rejected) +
                                                    "; graph: " + c.graph->describe());
}

}  // namespace

GraphOptions graph_options(const Variant& v) {
  GraphOptions o;
  o.tf32 = v.tf32;
  o.fused_bias = v.fused_bias;
  o.deterministic_only = v.graph != GraphSelection::autotune && v.graph != GraphSelection::engine;
  return o;
}

std::string graph_host_refusal(const ConvPlan& plan, const Variant& v) {
  if (v.graph == GraphSelection::none || plan.op == ConvOp::bias_reduction) return "";
  std::unique_ptr<FrontendGraph> g;
  if (Status s = FrontendGraph::create(plan, graph_options(v), &g); !s.ok())
    return "cudnn-frontend refuses the operation graph: " + s.message;
  return "";
}

Status graph_candidates(FrontendGraph& g, const Variant& v, Candidates* out) {
  *out = {};
  if (v.graph == GraphSelection::engine) {
    TCONV_RETURN_IF_ERROR(g.pinned(v.engine, v.knobs));
  } else {
    TCONV_RETURN_IF_ERROR(g.heuristics(modes_of(v.graph)));
  }
  const std::string source = v.graph == GraphSelection::engine     ? "pinned"
                             : v.graph == GraphSelection::fallback ? "fallback"
                             : v.graph == GraphSelection::heur_b   ? "heuristics B + fallback"
                                                                   : "heuristics A + fallback";
  for (std::int64_t i = 0; i < g.config_count(); ++i) {
    out->order.push_back(i);
    out->sources.push_back(source + " #" + std::to_string(i));
  }
  return Status::Ok();
}

Status choose_graph_plan(DeviceContext& ctx, const ConvPlan& plan, const Variant& v, std::size_t limit,
                         GraphChoice* out) {
  std::unique_ptr<FrontendGraph> g;
  TCONV_RETURN_IF_ERROR(FrontendGraph::create(plan, graph_options(v), &g));
  // The device's own handle: the plans carry its SM version and count.
  TCONV_RETURN_IF_ERROR(g->lower(ctx.handle));
  out->graph = std::move(g);
  TCONV_RETURN_IF_ERROR(graph_candidates(*out->graph, v, &out->candidates));
  if (v.graph == GraphSelection::autotune) {
    TCONV_RETURN_IF_ERROR(autotune(ctx, out, limit));
    if (out->name.empty()) return none_fits(*out);
    return Status::Ok();
  }
  first_usable(out, 0, limit);
  if (out->position >= out->candidates.order.size()) return none_fits(*out);
  return Status::Ok();
}

std::string explain_graph_candidates(FrontendGraph& g, const Variant& v, std::size_t limit) {
  Candidates c;
  if (Status s = graph_candidates(g, v, &c); !s.ok())
    return "no engine configs: " + s.message.substr(0, s.message.find("; graph:"));
  const GraphOptions o = graph_options(v);
  std::string text = std::to_string(c.order.size()) + " configs, in the order cudnn:" + v.name + " tries them (" +
                     (o.deterministic_only ? "deterministic only, " : "") +
                     (o.tf32 || g.plan().dtype != DType::f32 ? "" : "no TF32, ") + "workspace <= " +
                     std::to_string(limit) + " bytes; " +
                     (v.graph == GraphSelection::autotune ? "the fastest usable one at run time" : "the first usable one") +
                     "):";
  bool taken = false;
  for (std::size_t pos = 0; pos < c.order.size(); ++pos) {
    const std::int64_t i = c.order[pos];
    const std::string name = g.config_name(i);
    text += "\n  " + c.sources[pos] + ": engine " + std::to_string(g.engine_of(i)) + " " + name + ": ";
    if (std::string why = try_build(g, c, pos, limit); !why.empty()) {
      // The frontend says only "Deselecting execution plan": name the rule that did it.
      text += why.find("Deselecting execution plan") != std::string::npos
                  ? "deselected: its notes " + notes_of(g, i) + " include one this variant refuses (" +
                        refused_notes_text(g.plan(), o) + ")"
                  : why;
      continue;
    }
    const std::string notes = notes_of(g, i);
    const std::vector<KnobChoice> knobs = g.knobs_of(i);
    text += "builds, workspace " + std::to_string(g.workspace(i)) + " bytes" + (notes.empty() ? "" : "; notes " + notes) +
            "; pin it: cudnn:" + engine_variant_name(g.engine_of(i), knobs, v);
    // The name spells each knob as cuDNN's backend numbers it ("_k3=0"); the frontend cannot
    // set some of them (its conversion drops them), and those stay at cuDNN's default.
    std::size_t named = 0, in_name = 0;
    for (const KnobChoice& k : knobs) named += *knob_name(k.first) != '\0';
    for (std::size_t at = name.find("_k"); at != std::string::npos; at = name.find("_k", at + 1)) ++in_name;
    if (in_name > named)
      text += " (" + std::to_string(in_name - named) + " knob(s) of " + name + " the frontend cannot set stay at cuDNN's default)";
    if (v.graph == GraphSelection::autotune) {
      text += " (timed)";
    } else if (!taken) {
      text += "  <- takes this one";
      taken = true;
    }
  }
  return text;
}

Status execute_graph_choice(DeviceContext& ctx, GraphChoice& c, const ConvPointers& p, void* bias,
                            std::size_t workspace_bytes) {
  while (c.position < c.candidates.order.size()) {
    Status s = c.graph->execute(ctx.handle, c.candidates.order[c.position], p, bias);
    if (s.ok()) return s;
    // A pinned engine has no next; autotune's choice ran during tuning: report either.
    if (c.candidates.order.size() == 1) return s;
    c.rejected += "; " + c.name + ": " + s.message.substr(0, s.message.find("; graph:"));
    first_usable(&c, c.position + 1, workspace_bytes);
  }
  return none_fits(c);
}

}  // namespace tconv::cudnn
