// The reverse direction: how one framework writes a canonical problem, or why it cannot.
// Each framework's file defines `Equivalent <name>_equivalent(const Problem&)`.
#pragma once

#include <string>
#include <vector>

#include "backends/api/problem.h"
#include "conformance/conventions/crop_math.h"

namespace tconv::conventions {

struct Equivalent {
  std::string convention;    // "pytorch", "keras", "tf", "onnx"
  bool exact = false;
  // The convention's own parameters in `tconv explain` / YAML key terms ("kernel_size=3 ..."):
  // they translate back to exactly the problem when exact (tested as a round trip).
  std::string params;
  std::string call;          // the framework's own code for it
  std::string reason;        // not exact: why none is
  std::string construction;  // not exact: the nearest exact construction (a call plus a fix-up)
  std::vector<std::string> notes;  // runtime quirks worth knowing
};

// What it takes to turn a result computed with crops `have` into one with crops `want`
// (per dimension): "remove 1 row at the bottom and 1 column at the right" or "add 1 row that
// holds only the bias at the top". Empty when have == want.
std::string crop_fixup_text(Crops have_h, Crops have_w, Crops want_h, Crops want_w);

// "3" when h == w, else "3,4": the value syntax of `tconv explain` parameters.
std::string pair_param(std::int64_t h, std::int64_t w);

// The canonical crops of the problem, per dimension.
inline Crops crops_h(const Problem& p) { return {p.crop_top, p.crop_bottom}; }
inline Crops crops_w(const Problem& p) { return {p.crop_left, p.crop_right}; }

}  // namespace tconv::conventions
