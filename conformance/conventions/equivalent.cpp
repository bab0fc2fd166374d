#include "conformance/conventions/equivalent.h"

namespace tconv::conventions {

namespace {

std::string count(std::int64_t n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

// One side: remove `extra` more (positive) or add -extra bias-only lines (negative).
void side(std::vector<std::string>& parts, std::int64_t extra, const char* line, const char* where) {
  if (extra > 0) parts.push_back("remove " + count(extra, line) + " at the " + where);
  if (extra < 0) parts.push_back("add " + count(-extra, line) + " holding only the bias at the " + where);
}

}  // namespace

std::string crop_fixup_text(Crops have_h, Crops have_w, Crops want_h, Crops want_w) {
  std::vector<std::string> parts;
  side(parts, want_h.begin - have_h.begin, "row", "top");
  side(parts, want_h.end - have_h.end, "row", "bottom");
  side(parts, want_w.begin - have_w.begin, "column", "left");
  side(parts, want_w.end - have_w.end, "column", "right");
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i) s += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return s;
}

std::string pair_param(std::int64_t h, std::int64_t w) {
  return h == w ? std::to_string(h) : std::to_string(h) + "," + std::to_string(w);
}

}  // namespace tconv::conventions
