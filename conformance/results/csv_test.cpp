#include "conformance/results/csv.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "conformance/results/results_csv.h"
#include "conformance/testing/test_support.h"

namespace tconv {
namespace {

TEST(Csv, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_record({"a", "", "c"}), "a,,c\n");
}

TEST(Csv, ParsesWhatItWrites) {
  const std::vector<std::vector<std::string>> records = {
      {"h1", "h2", "h3"}, {"a,b", "say \"hi\"", "x\ny"}, {"", "", ""}, {"tconv repro \"n=1 ci=2\" --backend x", "1e-07", "-"}};
  std::string text;
  for (const auto& r : records) text += csv_record(r);
  auto t = parse_csv(text);
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_FALSE(t->dropped_partial_tail);
  EXPECT_EQ(t->header, records[0]);
  ASSERT_EQ(t->records.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(t->records[i], records[i + 1]);
}

TEST(Csv, DropsAPartialLastRecordAsAKilledWriterLeavesIt) {
  auto t = parse_csv("a,b\n1,2\n3,\"unfinished");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->dropped_partial_tail);
  EXPECT_EQ(t->records.size(), 1u);
  EXPECT_FALSE(parse_csv("").ok());
  EXPECT_FALSE(parse_csv("a,b\n1,x\"y\n").ok());
}

ResultRow sample_row() {
  ResultRow r;
  r.case_name = "grid/3, \"quoted\"";
  r.source = "cases/x.yaml:12";
  r.backend = "naive";
  r.variant = "default";
  r.direction = Direction::bwd_weights;
  r.problem = test::small_problem();
  r.problem.dtype = DType::bf16;
  r.problem.layout = Layout::NHWC;
  r.problem.weight_layout = Layout::OIHW_FLIPPED;
  r.problem.bias = false;
  r.status = Outcome::INCORRECT;
  r.reason = "3 of 120 elements over bound, first at [0,1,2,3]";
  r.math = "bf16/f32acc";
  r.max_abs_err = 0.1 + 0.2;
  r.max_rel_err = 1e-300;
  r.err_bound_ratio = HUGE_VAL;
  r.mismatches = 3;
  r.elements = 120;
  r.zero_fraction = 0.25;
  r.time_ms = 1.5;
  r.repeats = 7;
  r.timer = "wall";
  r.repro = "tconv repro \"n=2\" --backend naive:default";
  r.first_mismatches = "[0,1,2,3] got nan want 1";
  r.algorithm = "BWD_FILTER_ALGO_0";
  r.workspace_bytes = 4096;
  r.deterministic = false;
  r.repeat_max_diff = 0x1p-23;
  r.max_ulp = 1.75;
  r.reference = "oracle sample 300/4096";
  r.staging_ms = 0.25;
  return r;
}

TEST(ResultRows, RoundTripThroughCsvFields) {
  const ResultRow r = sample_row();
  ResultRow back;
  ASSERT_EQ(row_from_fields(row_fields(r), &back), Status::Ok());
  EXPECT_EQ(row_fields(back), row_fields(r));
  EXPECT_EQ(back.problem, r.problem);
  EXPECT_EQ(*back.max_abs_err, *r.max_abs_err);  // shortest round-trip text, exact
  EXPECT_TRUE(std::isinf(*back.err_bound_ratio));
  EXPECT_FALSE(back.gflops.has_value());
  EXPECT_EQ(back.key(), r.key());
  EXPECT_EQ(back.algorithm, "BWD_FILTER_ALGO_0");
  EXPECT_EQ(back.workspace_bytes, 4096);
  EXPECT_EQ(back.deterministic, false);
  EXPECT_EQ(back.repeat_max_diff, 0x1p-23);
  EXPECT_EQ(back.max_ulp, 1.75);
  EXPECT_EQ(back.reference, "oracle sample 300/4096");
  EXPECT_EQ(back.staging_ms, 0.25);

  ResultRow unreported = r;
  unreported.deterministic.reset();
  ASSERT_EQ(row_from_fields(row_fields(unreported), &back), Status::Ok());
  EXPECT_FALSE(back.deterministic.has_value());
  std::vector<std::string> fields = row_fields(r);
  const std::vector<std::string> header = result_header();
  const auto deterministic = std::find(header.begin(), header.end(), "deterministic") - header.begin();
  fields[deterministic] = "yes";
  EXPECT_NE(row_from_fields(fields, &back).message.find("deterministic"), std::string::npos);
  fields = row_fields(r);
  fields[std::find(header.begin(), header.end(), "max_ulp") - header.begin()] = "many";
  EXPECT_NE(row_from_fields(fields, &back).message.find("max_ulp"), std::string::npos);
}

TEST(ResultRows, HaveTheContractColumns) {
  std::vector<std::string> names;
  for (const Column& c : result_columns()) names.emplace_back(c.name);
  for (const char* required :
       {"case", "backend", "variant", "direction", "dtype", "status", "reason", "max_abs_err", "max_rel_err",
        "err_bound_ratio", "mismatches", "time_ms", "time_min_ms", "time_max_ms", "gflops", "gbps", "repro", "n",
        "c_in", "c_out", "groups", "h_in", "w_in", "kh", "kw", "stride_h", "stride_w", "dil_h", "dil_w", "pad_top",
        "pad_bottom", "pad_left", "pad_right", "bias", "layout", "weight_layout", "h_out", "w_out", "source",
        "first_mismatches", "algorithm", "workspace_bytes", "deterministic", "repeat_max_diff", "max_ulp",
        "reference", "staging_ms"})
    EXPECT_NE(std::find(names.begin(), names.end(), required), names.end()) << required;
}

TEST(ResultsCsv, WriterRestartsWithExistingRowsAndReaderChecksTheHeader) {
  const std::string dir = test::fresh_dir("results_csv");
  const std::string path = dir + "/results.csv";
  ResultsCsvWriter w;
  ASSERT_EQ(w.start(path, {sample_row()}), "");
  ResultRow second = sample_row();
  second.direction = Direction::fwd;
  ASSERT_EQ(w.append(second), "");
  w.close();
  auto back = read_results_csv(path);
  ASSERT_TRUE(back.ok()) << back.error();
  ASSERT_EQ(back->rows.size(), 2u);
  EXPECT_EQ(back->rows[1].direction, Direction::fwd);

  std::ofstream(dir + "/other.csv") << "a,b\n1,2\n";
  EXPECT_FALSE(read_results_csv(dir + "/other.csv").ok());
}

// A results.csv written before the columns after first_mismatches were appended still reads
// (compare and merge with an older run); its rows have those columns empty.
TEST(ResultsCsv, ReadsAnOlderFileWithoutTheAppendedColumns) {
  const std::string dir = test::fresh_dir("results_csv_old");
  std::vector<std::string> header = result_header(), fields = row_fields(sample_row());
  const auto kept = std::find(header.begin(), header.end(), "first_mismatches") - header.begin() + 1;
  header.resize(kept);
  fields.resize(kept);
  std::ofstream(dir + "/results.csv") << csv_record(header) << csv_record(fields);
  auto back = read_results_csv(dir + "/results.csv");
  ASSERT_TRUE(back.ok()) << back.error();
  ASSERT_EQ(back->rows.size(), 1u);
  EXPECT_EQ(back->rows[0].first_mismatches, sample_row().first_mismatches);
  EXPECT_EQ(back->rows[0].algorithm, "");
  EXPECT_FALSE(back->rows[0].deterministic.has_value());
  EXPECT_FALSE(back->rows[0].repeat_max_diff.has_value());
  EXPECT_FALSE(back->rows[0].max_ulp.has_value());
  EXPECT_EQ(back->rows[0].reference, "");
  EXPECT_FALSE(back->rows[0].staging_ms.has_value());

  header.push_back("not_a_column");
  std::ofstream(dir + "/results.csv") << csv_record(header);
  EXPECT_FALSE(read_results_csv(dir + "/results.csv").ok());
}

}  // namespace
}  // namespace tconv
