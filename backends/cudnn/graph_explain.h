// What a cuDNN variant would run for one problem (`tconv repro --backend cudnn:VARIANT --why`).
// Graph variants: the operation graph, the device it is lowered for (this machine's GPU; without
// one an sm_90 H200 from its properties, which is what cuDNN offers that device), and the
// configs the variant tries in order (graph_selection.h, explain_graph_candidates), each with the
// engine=K variant that pins it. Legacy variants: the descriptors, and that cuDNN chooses on the
// GPU at run time.
#pragma once

#include <cstddef>
#include <string>

#include "backends/api/problem.h"
#include "backends/cudnn/algorithms.h"

namespace tconv::cudnn {

std::string explain_variant(const Problem& p, Direction d, const Variant& v, std::size_t workspace_limit);

}  // namespace tconv::cudnn
