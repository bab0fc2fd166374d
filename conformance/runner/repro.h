// The reproducer of one run: the problem's repro string (problem.h) plus the directions and
// the fill, e.g.
//   "n=2 ci=8 co=4 g=1 in=5x7 k=3x3 s=2x2 d=1x1 crop=1,0,1,0 bias=1 dt=f32 layout=NCHW wl=IOHW
//    dir=fwd,bwd_data fill=uniform seed=7"
// parse_repro(to_string(r)) == r. Omitted keys take their defaults: every direction,
// fill=uniform, seed=1.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "backends/api/problem.h"
#include "backends/api/result.h"
#include "conformance/case.h"

namespace tconv {

struct Repro {
  Problem problem;
  std::vector<Direction> directions{std::begin(kAllDirections), std::end(kAllDirections)};
  FillSpec fill;

  bool operator==(const Repro& o) const {
    return problem == o.problem && directions == o.directions && fill.kind == o.fill.kind &&
           fill.seed == o.fill.seed;
  }
};

std::string to_string(const Repro& r);
// One-line errors; golden fills are rejected (their inputs are files, not a seed).
Result<Repro> parse_repro(std::string_view text);

// "dir=..." values: a comma-separated list of distinct directions.
Result<std::vector<Direction>> parse_direction_list(std::string_view text);
std::string join_directions(const std::vector<Direction>& ds);

// The shell command that re-runs it: tconv repro "<repro>" --backend SPEC[ extra]
std::string repro_command(const Repro& r, const std::string& backend_spec, std::string_view extra_flags = {});

}  // namespace tconv
