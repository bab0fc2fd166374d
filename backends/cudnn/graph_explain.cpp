#include "backends/cudnn/graph_explain.h"

#include <memory>
#include <mutex>

#include "backends/cudnn/cudnn_info.h"
#include "backends/cudnn/device_context.h"
#include "backends/cudnn/graph_selection.h"

namespace tconv::cudnn {

namespace {

std::string staging_note(const ConvPlan& pl) {
  if (!pl.staged) return "";
  std::string text = "staged (the crops need a staging copy, timed apart as staging_ms):";
  for (const std::string& why : pl.why_staged) text += "\n  " + why;
  return text + "\n";
}

std::string explain_legacy(const ConvPlan& pl, const Variant& v) {
  std::string text = "legacy API: " + describe(pl) + "\n";
  if (v.algo != nullptr) return text + "pinned algorithm " + v.algo->name;
  if (v.find) return text + "cudnnFind*Algorithm times every algorithm on the GPU at the first run of a shape and takes the fastest";
  return text + "cudnnGet*Algorithm_v7's heuristics choose on the GPU at run time";
}

}  // namespace

std::string explain_variant(const Problem& p, Direction d, const Variant& v, std::size_t workspace_limit) {
  if (d == Direction::bwd_bias) return "bias reduction kernel (tconv's own, fixed summation order): no cuDNN call";
  const ConvPlan pl = make_plan(p, d, padding_form(v));
  if (v.graph == GraphSelection::none) return staging_note(pl) + explain_legacy(pl, v);
  std::unique_ptr<FrontendGraph> g;
  if (Status s = FrontendGraph::create(pl, graph_options(v), &g); !s.ok())
    return staging_note(pl) + "cudnn-frontend refuses the operation graph: " + s.message;
  std::string text = staging_note(pl) + "graph: " + g->describe() + "\n";
  if (const std::string no_gpu = no_gpu_reason(); !no_gpu.empty()) {
    text += "lowered for: an sm_90 H200 from its properties, without a GPU (" + no_gpu + "): the configs cuDNN " +
            version_string() + " offers that device\n";
    if (Status s = g->lower_deviceless_sm90(); !s.ok()) return text + s.message;
    return text + explain_graph_candidates(*g, v, workspace_limit);
  }
  Status status;
  DeviceContext* ctx = device_context(&status);
  if (ctx == nullptr) return text + status.message;
  std::lock_guard<std::mutex> lock(ctx->mutex);
  text += "lowered for: this machine's GPU (device " + std::to_string(ctx->device) + ", cuDNN " + version_string() + ")\n";
  if (Status s = g->lower(ctx->handle); !s.ok()) return text + s.message;
  return text + explain_graph_candidates(*g, v, workspace_limit);
}

}  // namespace tconv::cudnn
