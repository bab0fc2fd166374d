// The parameter axes of the heatmaps and of the report's table: one short label per row
// ("2x2", "sym1", "NCHW/IOHW"), pairs formatted as the repro string writes them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "conformance/results/row.h"

namespace tconv::reports {

enum class Axis { stride, crop, dilation, groups, kernel, dtype, layout };

std::string_view axis_title(Axis a);  // "stride", "crop class", ...
std::string axis_label(Axis a, const ResultRow& r);
// The labels' order on an axis: numbers inside labels compare as numbers; crop classes go
// 0, sym, asym, neg.
bool axis_less(Axis a, std::string_view x, std::string_view y);

// Crops fall into few classes (a sweep has hundreds of distinct t,b,l,r): "0" none, "symN"
// all four equal to N, "asymN" unequal and non-negative up to N, "negN" some crop is -N
// (the output is extended by bias-only lines).
std::string crop_class(const Problem& p);
// The exact crops "t,b,l,r" (the table's crop column).
std::string crop_text(const Problem& p);
// The report table's filter that selects the rows with this label, e.g. "stride=2x2",
// "crop_class=asym2", "layout=NCHW wl=IOHW".
std::string axis_filter(Axis a, const std::string& label);

struct AxisPair {
  Axis x, y;
};
// stride x crop, dilation x groups, kernel x stride, dtype x layout.
const std::vector<AxisPair>& heatmap_pairs();

// "2x10" after "2x9", "-1,0" before "0,0": numbers inside labels compare as numbers.
bool natural_less(std::string_view a, std::string_view b);

// to_repro(problem) rebuilt from labels the way the report's script rebuilds it (so the
// page can store a repro template instead of every repro string).
std::string problem_text_from_labels(const ResultRow& r);

}  // namespace tconv::reports
