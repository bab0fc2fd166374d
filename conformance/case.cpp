#include "conformance/case.h"

namespace tconv {

std::string_view to_string(FillKind k) {
  switch (k) {
    case FillKind::uniform: return "uniform";
    case FillKind::normal: return "normal";
    case FillKind::integer: return "integer";
    case FillKind::golden: return "golden";
    case FillKind::exact: return "exact";
  }
  return "?";
}

std::optional<FillKind> parse_fill_kind(std::string_view s) {
  for (FillKind k : {FillKind::uniform, FillKind::normal, FillKind::integer, FillKind::golden, FillKind::exact})
    if (s == to_string(k)) return k;
  if (s == "random") return FillKind::uniform;  // the name for the default random fill
  return std::nullopt;
}

}  // namespace tconv
