// The cost model, the calibration table and the dispatcher's choices against the measurements
// the table was fitted from (calibration/h200_measured.csv: one H200 run, every cuda family
// variant timed on real layers). A wrong choice on a measured shape is a failure here.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <set>

#include "backends/cuda/calibration_fit.h"
#include "backends/cuda/cost_model.h"
#include "backends/cuda/dispatch.h"
#include "backends/testing/random_problem.h"

namespace tconv::cuda {
namespace {

const Calibration& h200() {
  bool exact = false;
  const Calibration& c = calibration_for("NVIDIA H200", &exact);
  EXPECT_TRUE(exact);
  return c;
}

const std::vector<MeasuredRow>& h200_measured() {
  const auto& tables = builtin_calibrations();
  for (std::size_t i = 0; i < tables.size(); ++i)
    if (tables[i].gpu == "H200") return builtin_measurements()[i];
  static const std::vector<MeasuredRow> none;
  return none;
}

TEST(CudaCalibration, TheH200TableCoversEveryFamilyDirectionAndPrecision) {
  const Calibration& c = h200();
  EXPECT_DOUBLE_EQ(c.copy_gbps.value, 4191);
  EXPECT_DOUBLE_EQ(c.f32_gemm_tflops.value, 51.1);
  EXPECT_DOUBLE_EQ(c.f16_gemm_tflops.value, 750);
  for (Family f : all_families())
    for (Direction d : family_directions(f))
      for (DType t : {DType::f32, DType::f16}) {
        const Coefficients* k = c.find(family_name(f), d, t);
        ASSERT_NE(k, nullptr) << family_name(f) << " " << to_string(d) << " " << to_string(t);
        EXPECT_FALSE(k->source.empty());
        // A row is either fitted from measurements or says it is a default.
        EXPECT_EQ(k->fit_rows == 0, k->source.rfind("DEFAULT, never measured", 0) == 0) << k->source;
      }
  // What the one H200 run timed is fitted, what it did not is a default.
  EXPECT_GT(c.find("phase_gemm", Direction::fwd, DType::f32)->fit_rows, 0);
  EXPECT_GT(c.find("gather", Direction::bwd_data, DType::f32)->fit_rows, 0);
  for (const char* never : {"depthwise", "small_cout", "bwd_weights_gemm"})
    for (Direction d : kAllDirections)
      if (const Coefficients* k = c.find(never, d, DType::f32)) {
        EXPECT_EQ(k->fit_rows, 0) << never;
      }
}

// The committed table is exactly what the fit makes of the committed measurements.
TEST(CudaCalibration, CommittedTableIsTheFitOfTheCommittedMeasurements) {
  const std::vector<MeasuredRow>& rows = h200_measured();
  ASSERT_GT(rows.size(), 50u);
  const Calibration refit = fit_calibration(rows, h200(), "x");
  ASSERT_EQ(refit.rows.size(), h200().rows.size());
  for (const auto& [key, k] : h200().rows) {
    const Coefficients& r = refit.rows.at(key);
    const auto close = [](double a, double b) { return std::fabs(a - b) <= 1e-5 * std::max(std::fabs(a), 1e-3); };
    EXPECT_TRUE(close(k.launch_us, r.launch_us) && close(k.ns_per_thread, r.ns_per_thread) &&
                close(k.gwork_per_s, r.gwork_per_s))
        << std::get<0>(key) << " " << std::get<1>(key) << " " << std::get<2>(key);
    EXPECT_EQ(k.fit_rows, r.fit_rows);
  }
}

TEST(CudaCalibration, WriteThenParseRoundTripsAndBadTablesAreRejected) {
  const std::string text = write_calibration(h200(), "a comment\nsecond line");
  const Result<Calibration> back = parse_calibration(text);
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(write_calibration(*back, "a comment\nsecond line"), text);
  EXPECT_FALSE(parse_calibration("").ok());
  EXPECT_FALSE(parse_calibration("entry,direction\n").ok());
  const std::string header = "entry,direction,precision,value,launch_us,ns_per_thread,gwork_per_s,fit_rows,source\n";
  const std::string threads = "resident_threads,,,1000,,,,,spec\n";
  EXPECT_FALSE(parse_calibration(header + "gpu,,,,,,,,X\n" + threads).ok()) << "no copy ceiling";
  EXPECT_FALSE(parse_calibration(header + "gpu,,,,,,,,X\ncopy_gbps,,,100,,,,,s\n").ok()) << "no resident threads";
  EXPECT_FALSE(parse_calibration(header + "gpu,,,,,,,,X\ncopy_gbps,,,100,,,,,s\n" + threads + "gather,fwd,f32,,1,-2,3,1,s\n").ok());
  EXPECT_FALSE(parse_calibration(header + "gpu,,,,,,,,X\ncopy_gbps,,,100,,,,,s\n" + threads + "gather,up,f32,,1,2,3,1,s\n").ok());
  EXPECT_TRUE(parse_calibration(header + "gpu,,,,,,,,X\ncopy_gbps,,,100,,,,,s, with a comma\n" + threads).ok());
}

TEST(CudaCalibration, AnUnknownGpuUsesTheFirstTableAndSaysSo) {
  bool exact = true;
  const Calibration& c = calibration_for("NVIDIA Z9000", &exact);
  EXPECT_FALSE(exact);
  EXPECT_EQ(&c, &builtin_calibrations().front());
  const CudaVariant def{"default", std::nullopt};
  Problem p;
  const Choice choice = choose_family(def, Direction::fwd, make_geometry(p), DType::f32, c);
  const std::string why = describe_choice(choice, {&c, false, "NVIDIA Z9000"});
  EXPECT_NE(why.find("no table for NVIDIA Z9000"), std::string::npos) << why;
}

// The multiply-add count is the brute-force count of (input pixel, tap) pairs landing in the output.
TEST(CudaCostModel, UsefulMacsEqualBruteForce) {
  std::mt19937_64 rng(8);
  for (int i = 0; i < 300; ++i) {
    const Problem p = crosscheck::random_problem(rng);
    const ConvGeometry g = make_geometry(p);
    double pairs = 0;
    for (std::int64_t ih = 0; ih < g.h_in; ++ih)
      for (std::int64_t iw = 0; iw < g.w_in; ++iw)
        for (std::int64_t r = 0; r < g.kh; ++r)
          for (std::int64_t s = 0; s < g.kw; ++s) {
            const std::int64_t oh = g.out_h(ih, r), ow = g.out_w(iw, s);
            pairs += oh >= 0 && oh < g.h_out && ow >= 0 && ow < g.w_out;
          }
    for (Direction d : {Direction::fwd, Direction::bwd_data, Direction::bwd_weights})
      EXPECT_EQ(useful_macs(d, g), pairs * static_cast<double>(g.n * g.c_in * g.cog())) << to_repro(p);
    EXPECT_EQ(useful_macs(Direction::bwd_bias, g), static_cast<double>(g.n * g.c_out * g.h_out * g.w_out));
  }
}

// A GEMM family executes whole 64-wide tiles: one output channel costs a 64-channel tile.
TEST(CudaCostModel, GemmWorkCountsWholeTiles) {
  Problem p;
  p.n = 4, p.c_in = 56, p.c_out = 1, p.h_in = 96, p.w_in = 96, p.kh = p.kw = 9, p.stride_h = p.stride_w = 3;
  p.crop_top = p.crop_left = 4, p.crop_bottom = p.crop_right = 2;
  const ConvGeometry g = make_geometry(p);
  const double useful = 2 * useful_macs(Direction::fwd, g);
  const double padded = family_work(Family::phase_gemm, Direction::fwd, g, DType::f32).work;
  EXPECT_GE(padded, 64 * useful);
  EXPECT_LE(padded, 64 * 1.2 * useful);
  const FamilyWork direct = family_work(Family::small_cout, Direction::fwd, g, DType::f32);
  EXPECT_EQ(direct.work, useful / 2);
  EXPECT_EQ(direct.threads, static_cast<double>(g.n * g.h_out * g.w_out));
  EXPECT_EQ(direct.bytes_min, minimal_bytes(Direction::fwd, g, DType::f32));
}

TEST(CudaCostModel, PredictionsStayNearEveryMeasuredRow) {
  for (const MeasuredRow& r : h200_measured()) {
    const Coefficients* k = h200().find(family_name(r.family), r.direction, r.dtype);
    ASSERT_NE(k, nullptr);
    const double pred = predict_ms(*k, family_work(r.family, r.direction, r.g, r.dtype), h200().copy_gbps.value,
                                   h200().resident_threads.value);
    EXPECT_GT(pred / r.ms, 1.0 / 3) << r.label << " " << family_name(r.family) << " " << to_string(r.direction);
    EXPECT_LT(pred / r.ms, 3.0) << r.label << " " << family_name(r.family) << " " << to_string(r.direction);
  }
}

TEST(CudaCostModel, NothingBeatsTheCopyCeiling) {
  Coefficients instant;  // all zero: only the floor remains
  FamilyWork w;
  w.bytes_min = 4191e6;  // one millisecond at the H200's copy bandwidth
  EXPECT_DOUBLE_EQ(predict_ms(instant, w, 4191, 270336), 1.0);
}

// Every shape the H200 run timed under several families: restricted to those families, the
// dispatcher picks one whose measured time is within 10% of the fastest measured. This covers
// the rows where phase_gemm lost 3x to 10x to gather (one and three output channels, depthwise).
TEST(CudaDispatch, ChoosesTheMeasuredFastestFamilyOnEveryMeasuredShape) {
  std::map<std::pair<std::string, Direction>, std::vector<const MeasuredRow*>> shapes;
  for (const MeasuredRow& r : h200_measured()) shapes[{r.label, r.direction}].push_back(&r);
  int compared = 0, gather_won = 0, exact = 0;
  std::string near;
  for (const auto& [key, rows] : shapes) {
    if (rows.size() < 2) continue;
    const MeasuredRow* fastest = rows.front();
    const MeasuredRow* chosen = nullptr;
    double best = INFINITY;
    std::string table;
    for (const MeasuredRow* r : rows) {
      if (r->ms < fastest->ms) fastest = r;
      const double pred = predict_ms(*h200().find(family_name(r->family), r->direction, r->dtype),
                                     family_work(r->family, r->direction, r->g, r->dtype), h200().copy_gbps.value,
                                     h200().resident_threads.value);
      if (pred < best) best = pred, chosen = r;
      table += " " + std::string(family_name(r->family)) + " measured " + std::to_string(r->ms) + " predicted " +
               std::to_string(pred) + ";";
    }
    EXPECT_LE(chosen->ms, 1.10 * fastest->ms) << key.first << " " << to_string(key.second) << ":" << table;
    ++compared;
    exact += chosen == fastest;
    if (chosen != fastest)
      near += " " + key.first + " " + std::string(to_string(key.second)) + " (" + std::string(family_name(chosen->family)) +
              " " + std::to_string(chosen->ms / fastest->ms) + "x the fastest)";
    gather_won += fastest->family == Family::gather;
  }
  EXPECT_GE(compared, 30);
  EXPECT_GE(gather_won, 4) << "the memory-bound rows are in the measurements";
  std::printf("model picked the measured fastest on %d of %d shapes; within 10%%:%s\n", exact, compared, near.c_str());
}

Problem layer(std::int64_t n, std::int64_t ci, std::int64_t co, std::int64_t groups, std::int64_t hw, std::int64_t k,
              std::int64_t s, std::int64_t crop_begin, std::int64_t crop_end, DType t, Layout l) {
  Problem p;
  p.n = n, p.c_in = ci, p.c_out = co, p.groups = groups, p.h_in = p.w_in = hw, p.kh = p.kw = k;
  p.stride_h = p.stride_w = s, p.crop_top = p.crop_left = crop_begin, p.crop_bottom = p.crop_right = crop_end;
  p.dtype = t, p.layout = l, p.weight_layout = l == Layout::NHWC ? Layout::IHWO : Layout::IOHW, p.bias = true;
  return p;
}

// With every family available, the layers issue 20 names never go to phase_gemm (measured 3x to
// 10x slower than gather there), and go to the family the table predicts fastest.
TEST(CudaDispatch, MemoryBoundLayersLeavePhaseGemm) {
  const CudaVariant def{"default", std::nullopt};
  for (DType t : {DType::f32, DType::f16}) {
    const Layout l = t == DType::f32 ? Layout::NCHW : Layout::NHWC;
    const Problem fsrcnn = layer(4, 56, 1, 1, 96, 9, 3, 4, 2, t, l);
    const Problem dcgan_out = layer(64, 64, 3, 1, 32, 4, 2, 1, 1, t, l);
    const Problem dw = layer(16, 256, 256, 256, 64, 3, 2, 1, 0, t, l);
    for (const auto& [p, d, want] : {std::tuple{fsrcnn, Direction::fwd, std::set{Family::gather, Family::small_cout}},
                                     std::tuple{dcgan_out, Direction::fwd, std::set{Family::small_cout}},
                                     std::tuple{dw, Direction::fwd, std::set{Family::depthwise}},
                                     std::tuple{dw, Direction::bwd_data, std::set{Family::depthwise}}}) {
      const Choice c = choose_family(def, d, make_geometry(p), t, h200());
      ASSERT_TRUE(c.family.has_value());
      EXPECT_TRUE(want.count(*c.family)) << to_repro(p) << " " << to_string(d) << ": chose " << family_name(*c.family)
                                         << "\n" << describe_choice(c, {&h200(), true, "NVIDIA H200"});
    }
  }
  // GEMM-shaped layers stay on the GEMM families.
  const Choice unet = choose_family(def, Direction::fwd, make_geometry(layer(4, 512, 256, 1, 64, 2, 2, 0, 0, DType::f32, Layout::NCHW)),
                                    DType::f32, h200());
  EXPECT_EQ(unet.family, Family::k_equals_s);
  const Choice seg = choose_family(def, Direction::fwd, make_geometry(layer(4, 256, 128, 1, 64, 3, 2, 1, 0, DType::f32, Layout::NCHW)),
                                   DType::f32, h200());
  EXPECT_EQ(seg.family, Family::phase_gemm);
}

TEST(CudaDispatch, WhyTextNamesEveryFamilyItsPredictionOrRefusalAndTheWinner) {
  const CudaVariant def{"default", std::nullopt};
  const Problem dcgan_out = layer(64, 64, 3, 1, 32, 4, 2, 1, 1, DType::f32, Layout::NCHW);
  const Choice c = choose_family(def, Direction::fwd, make_geometry(dcgan_out), DType::f32, h200());
  const std::string why = describe_choice(c, {&h200(), true, "NVIDIA H200"});
  for (Family f : all_families()) EXPECT_NE(why.find(std::string(family_name(f))), std::string::npos) << why;
  EXPECT_NE(why.find("k_equals_s        refuses: k_equals_s: "), std::string::npos) << why;
  EXPECT_NE(why.find("predicted"), std::string::npos) << why;
  EXPECT_NE(why.find("<- chosen"), std::string::npos) << why;
  EXPECT_NE(why.find("DEFAULT, never measured"), std::string::npos) << why;
  EXPECT_NE(why.find("why: small_cout has the least predicted time"), std::string::npos) << why;
}

}  // namespace
}  // namespace tconv::cuda
