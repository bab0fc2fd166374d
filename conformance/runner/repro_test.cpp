#include "conformance/runner/repro.h"

#include <gtest/gtest.h>

#include <random>

namespace tconv {
namespace {

Repro random_repro(std::mt19937_64& rng) {
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  Repro r;
  Problem& p = r.problem;
  // Any integers, valid or not: the repro string carries what it is given.
  p.n = pick(-3, 64);
  p.c_in = pick(-3, 512);
  p.c_out = pick(-3, 512);
  p.groups = pick(-1, 16);
  p.h_in = pick(-3, 300);
  p.w_in = pick(-3, 300);
  p.kh = pick(-1, 9);
  p.kw = pick(-1, 9);
  p.stride_h = pick(-1, 5);
  p.stride_w = pick(-1, 5);
  p.dil_h = pick(-1, 4);
  p.dil_w = pick(-1, 4);
  p.crop_top = pick(-5, 5);
  p.crop_bottom = pick(-5, 5);
  p.crop_left = pick(-5, 5);
  p.crop_right = pick(-5, 5);
  p.bias = pick(0, 1) == 1;
  p.dtype = kAllDTypes[pick(0, 3)];
  p.layout = kDataLayouts[pick(0, 1)];
  p.weight_layout = kWeightLayouts[pick(0, 3)];
  std::vector<Direction> dirs(std::begin(kAllDirections), std::end(kAllDirections));
  std::shuffle(dirs.begin(), dirs.end(), rng);
  dirs.resize(static_cast<std::size_t>(pick(1, 4)));
  r.directions = dirs;
  r.fill.kind = std::array{FillKind::uniform, FillKind::normal, FillKind::integer}[pick(0, 2)];
  r.fill.seed = rng();
  return r;
}

TEST(RunnerRepro, RoundTripsThousandsOfRandomRepros) {
  std::mt19937_64 rng(20261121);
  for (int i = 0; i < 5000; ++i) {
    const Repro r = random_repro(rng);
    const std::string text = to_string(r);
    auto back = parse_repro(text);
    ASSERT_TRUE(back.ok()) << text << ": " << back.error();
    ASSERT_EQ(*back, r) << text;
    ASSERT_EQ(to_string(*back), text);
  }
}

TEST(RunnerRepro, KeysInAnyOrderAndDefaults) {
  auto r = parse_repro("seed=9 fill=integer dir=bwd_bias,fwd ci=3 co=3");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->problem.c_in, 3);
  EXPECT_EQ(r->fill.kind, FillKind::integer);
  EXPECT_EQ(r->fill.seed, 9u);
  EXPECT_EQ(r->directions, (std::vector<Direction>{Direction::bwd_bias, Direction::fwd}));

  auto d = parse_repro("");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->directions.size(), 4u);
  EXPECT_EQ(d->fill.kind, FillKind::uniform);
  EXPECT_EQ(d->fill.seed, 1u);
}

TEST(RunnerRepro, MalformedStringsGiveOneLineReasons) {
  const char* bad[] = {"n=abc",         "dir=fwd,fwd",     "dir=sideways", "dir=",     "fill=golden",
                       "fill=pink",     "seed=-1",         "seed=1x",      "seed=",    "colour=red",
                       "n=1 n=2",       "dir=fwd dir=fwd", "=3",           "justaword", "in=3",
                       "crop=1,2,3",    "bias=2",          "dt=f8",        "layout=NCWH", "seed=99999999999999999999999"};
  for (const char* s : bad) {
    auto r = parse_repro(s);
    EXPECT_FALSE(r.ok()) << s;
    if (!r.ok()) {
      EXPECT_FALSE(r.error().empty()) << s;
      EXPECT_EQ(r.error().find('\n'), std::string::npos) << s;
    }
  }
}

TEST(RunnerRepro, CommandQuotesTheReproAndNamesTheBackend) {
  Repro r;
  r.directions = {Direction::bwd_data};
  const std::string cmd = repro_command(r, "naive:default", "--test-backends");
  EXPECT_EQ(cmd, "tconv repro \"" + to_string(r) + "\" --backend naive:default --test-backends");
}

}  // namespace
}  // namespace tconv
