// The one-line repro string: exact format, round trip, and malformed input.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>

#include "backends/api/problem.h"

namespace tconv {
namespace {

constexpr Layout kAllLayouts[] = {Layout::NCHW, Layout::NHWC, Layout::IOHW, Layout::IHWO,
                                  Layout::HWOI, Layout::OIHW_FLIPPED, Layout::X};

TEST(Repro, DefaultProblemFormat) {
  // Scripts and bug reports carry this exact text: changing it breaks them.
  EXPECT_EQ(to_repro(Problem{}),
            "n=1 ci=1 co=1 g=1 in=1x1 k=1x1 s=1x1 d=1x1 crop=0,0,0,0 bias=1 dt=f32 layout=NCHW wl=IOHW");
}

TEST(Repro, EveryFieldHasItsOwnSlot) {
  Problem p;
  p.n = 2; p.c_in = 8; p.c_out = 4; p.groups = 2; p.h_in = 5; p.w_in = 7; p.kh = 3; p.kw = 1;
  p.stride_h = 2; p.stride_w = 3; p.dil_h = 4; p.dil_w = 5;
  p.crop_top = 1; p.crop_bottom = -1; p.crop_left = 0; p.crop_right = 6;
  p.bias = false; p.dtype = DType::bf16; p.layout = Layout::NHWC; p.weight_layout = Layout::OIHW_FLIPPED;
  EXPECT_EQ(to_repro(p),
            "n=2 ci=8 co=4 g=2 in=5x7 k=3x1 s=2x3 d=4x5 crop=1,-1,0,6 bias=0 dt=bf16 layout=NHWC wl=OIHW_FLIPPED");
}

TEST(Repro, KeysInAnyOrderAndDefaultsForOmittedKeys) {
  auto r = parse_problem("k=3x2 n=4  dt=f16\twl=HWOI");
  ASSERT_TRUE(r.ok()) << r.error();
  Problem want;
  want.kh = 3; want.kw = 2; want.n = 4; want.dtype = DType::f16; want.weight_layout = Layout::HWOI;
  EXPECT_EQ(*r, want);
  auto empty = parse_problem("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, Problem{});
}

TEST(Repro, SurroundingWhitespaceAndLineEndsAreSeparators) {
  // A repro pasted from a file keeps its line end ("\n" or "\r\n").
  const std::string line = to_repro(Problem{}) + "\r\n";
  auto r = parse_problem(line);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(*r, Problem{});
  auto padded = parse_problem("  n=3\n");
  ASSERT_TRUE(padded.ok()) << padded.error();
  EXPECT_EQ(padded->n, 3);
}

// A value that exercises signs, magnitudes and the int64 extremes.
std::int64_t extreme_int(std::mt19937_64& rng) {
  switch (rng() % 5) {
    case 0: return std::numeric_limits<std::int64_t>::min();
    case 1: return std::numeric_limits<std::int64_t>::max();
    case 2: return static_cast<std::int64_t>(rng());            // anything
    case 3: return -static_cast<std::int64_t>(rng() % 1000);    // small negative
    default: return static_cast<std::int64_t>(rng() % 3);       // 0, 1, 2
  }
}

// Half plausible problems (mostly valid; crops may be negative or empty the output), half
// the same with one to three fields replaced by extreme values, and now and then a layout
// in the wrong slot.
Problem random_problem(std::mt19937_64& rng) {
  auto in = [&](std::int64_t lo, std::int64_t hi) { return lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi - lo + 1)); };
  Problem p;
  p.n = in(1, 3); p.groups = in(1, 3);
  p.c_in = p.groups * in(1, 4); p.c_out = p.groups * in(1, 4);
  p.h_in = in(1, 9); p.w_in = in(1, 9); p.kh = in(1, 5); p.kw = in(1, 5);
  p.stride_h = in(1, 4); p.stride_w = in(1, 4); p.dil_h = in(1, 3); p.dil_w = in(1, 3);
  p.crop_top = in(-3, 3); p.crop_bottom = in(-3, 3); p.crop_left = in(-3, 3); p.crop_right = in(-3, 3);
  p.bias = rng() % 2;
  p.dtype = kAllDTypes[rng() % std::size(kAllDTypes)];
  p.layout = kDataLayouts[rng() % std::size(kDataLayouts)];
  p.weight_layout = kWeightLayouts[rng() % std::size(kWeightLayouts)];
  if (rng() % 2) {
    std::int64_t* fields[] = {&p.n, &p.c_in, &p.c_out, &p.groups, &p.h_in, &p.w_in, &p.kh, &p.kw,
                              &p.stride_h, &p.stride_w, &p.dil_h, &p.dil_w,
                              &p.crop_top, &p.crop_bottom, &p.crop_left, &p.crop_right};
    for (std::int64_t k = in(1, 3); k > 0; --k) *fields[rng() % std::size(fields)] = extreme_int(rng);
  }
  if (rng() % 10 == 0) p.layout = kAllLayouts[rng() % std::size(kAllLayouts)];
  if (rng() % 10 == 0) p.weight_layout = kAllLayouts[rng() % std::size(kAllLayouts)];
  // A quarter quantized (plausible or extreme requantizations), now and then a float problem
  // with stray quantization or the bias-only dtype i32: all must round-trip.
  const auto r = rng() % 20;
  if (r < 5) {
    p.dtype = kIntDTypes[rng() % std::size(kIntDTypes)];
    Quant& q = p.quant;
    q.zp_x = in(-20, 20); q.zp_w = in(-20, 20); q.zp_y = in(-20, 20);
    q.multiplier = in(1, 0x7fffffff); q.shift = in(0, 62);
    q.rounding = kAllRoundings[rng() % std::size(kAllRoundings)];
    if (rng() % 4 == 0) {
      std::int64_t* fields[] = {&q.zp_x, &q.zp_w, &q.zp_y, &q.multiplier, &q.shift};
      *fields[rng() % std::size(fields)] = extreme_int(rng);
    }
  } else if (r == 5) {
    p.quant.zp_y = in(-3, 3);
  } else if (r == 6) {
    p.dtype = DType::i32;
  }
  return p;
}

TEST(Repro, RoundTripsFiveThousandRandomProblems) {
  std::mt19937_64 rng(20240611);
  int valid = 0;
  for (int i = 0; i < 5000; ++i) {
    const Problem p = random_problem(rng);
    const std::string s = to_repro(p);
    ASSERT_EQ(s.find('\n'), std::string::npos);
    auto back = parse_problem(s);
    ASSERT_TRUE(back.ok()) << s << ": " << back.error();
    ASSERT_EQ(*back, p) << s << " came back as " << to_repro(*back);
    ASSERT_EQ(to_repro(*back), s);
    valid += validate(p).ok();
  }
  // Both kinds are exercised in bulk.
  EXPECT_GT(valid, 1000);
  EXPECT_LT(valid, 4000);
}

TEST(Repro, QuantizedProblemStatesItsRequantization) {
  Problem p;
  p.dtype = DType::i8;
  p.quant = {1, -2, 3, 1073741824, 36, Rounding::half_away};
  const std::string s = to_repro(p);
  EXPECT_NE(s.find(" dt=i8 "), std::string::npos) << s;
  EXPECT_NE(s.find(" zp=1,-2,3 mult=1073741824 shift=36 round=half_away"), std::string::npos) << s;
  EXPECT_EQ(*parse_problem(s), p);
  // Float problems keep their historical repro string.
  EXPECT_EQ(to_repro(Problem{}).find("zp="), std::string::npos);
  EXPECT_FALSE(parse_problem("dt=i8 round=half_even").ok());
  EXPECT_NE(parse_problem("zp=1,2").error().find("three integers"), std::string::npos);
}

TEST(Repro, InvalidLayoutsParseAndValidateRejects) {
  auto r = parse_problem("layout=IOHW wl=NCHW");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(invalid_reason(*r), InvalidReason::bad_data_layout);
  r = parse_problem("wl=X");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(invalid_reason(*r), InvalidReason::bad_weight_layout);
}

struct Malformed {
  const char* repro;
  const char* message_part;  // the error must name what is wrong
};

const Malformed kMalformed[] = {
    {"foo=1", "unknown key 'foo'"},
    {"n=1 ci=2 N=3", "unknown key 'N'"},
    {"n=1 n=2", "key 'n' given twice"},
    {"crop=0,0,0,0 crop=0,0,0,0", "key 'crop' given twice"},
    {"n", "'n': expected key=value"},
    {"n=2 bias", "'bias': expected key=value"},
    {"=3", "'=3': expected key=value"},
    {"n=", "'n=': expected an integer"},
    {"n=abc", "'n=abc': expected an integer"},
    {"ci=1.5", "'ci=1.5': expected an integer"},
    {"co=+4", "'co=+4': expected an integer"},
    {"g=4g", "'g=4g': expected an integer"},
    {"n=99999999999999999999", "'n=99999999999999999999': expected an integer"},
    {"n=-9223372036854775809", "'n=-9223372036854775809': expected an integer"},
    {"in=3", "'in=3': expected HxW"},
    {"in=3x4x5", "'in=3x4x5': expected HxW"},
    {"k=3x", "'k=3x': expected HxW"},
    {"s=x2", "'s=x2': expected HxW"},
    {"d=2,2", "'d=2,2': expected HxW"},
    {"s=2x99999999999999999999", "expected HxW"},
    {"crop=1,2,3", "'crop=1,2,3': expected top,bottom,left,right"},
    {"crop=1,2,3,4,5", "four integers"},
    {"crop=1,,3,4", "four integers"},
    {"crop=1x2x3x4", "four integers"},
    {"bias=2", "'bias=2': expected 0 or 1"},
    {"bias=true", "expected 0 or 1"},
    {"dt=f8", "'dt=f8': expected one of f32, f64, f16, bf16, i8, i16"},
    {"dt=F32", "expected one of"},
    {"layout=nchw", "'layout=nchw'"},
    {"wl=OIHW", "'wl=OIHW'"},
    {"wl=", "'wl='"},
};

TEST(Repro, MalformedStringsGiveOneLineErrors) {
  for (const Malformed& m : kMalformed) {
    auto r = parse_problem(m.repro);
    ASSERT_FALSE(r.ok()) << m.repro << " parsed as " << to_repro(*r);
    EXPECT_NE(r.error().find(m.message_part), std::string::npos) << m.repro << " -> '" << r.error() << "'";
    EXPECT_EQ(r.error().find_first_of("\r\n"), std::string::npos) << m.repro;
  }
}

TEST(Repro, ErrorsStayOneLineWhateverTheInput) {
  // Control characters other than separators end up quoted in the message: still one line.
  for (std::string s : {std::string("n=\x01"), std::string("n=1\vci=x"), std::string("\f=\x7f"),
                        std::string("dt=f32\0x", 8)}) {
    auto r = parse_problem(s);
    if (!r.ok()) {
      EXPECT_EQ(r.error().find_first_of("\r\n"), std::string::npos);
    }
  }
}

TEST(Repro, ProblemKeysAreTheOnesToReproWrites) {
  std::size_t count = 0;
  const std::string_view* keys = problem_keys(&count);
  Problem quantized;  // a quantized problem writes every key, a float one all but the last four
  quantized.dtype = DType::i8;
  const std::string repro = " " + to_repro(quantized);
  ASSERT_EQ(count, 17u);
  for (std::size_t i = 0; i < count; ++i) {
    EXPECT_TRUE(is_problem_key(keys[i]));
    EXPECT_NE(repro.find(" " + std::string(keys[i]) + "="), std::string::npos) << keys[i];
  }
  EXPECT_FALSE(is_problem_key("seed"));
  Problem p;
  EXPECT_EQ(apply_problem_key(p, "k", "5x4"), Status::Ok());
  EXPECT_EQ(p.kh, 5);
  EXPECT_FALSE(apply_problem_key(p, "seed", "1").ok());
}

}  // namespace
}  // namespace tconv
