#include "reports/row_encoding.h"

#include <gtest/gtest.h>

#include <cmath>

#include "reports/axes.h"
#include "reports/synthetic_run.h"
#include "reports/test_helpers.h"

namespace tconv::reports {
namespace {

using json = nlohmann::ordered_json;

// What the page's script does with a template (report.js reproOf).
std::string expand(std::string t, const ResultRow& r) {
  auto put = [&t](const std::string& key, const std::string& value) {
    if (auto at = t.find(key); at != std::string::npos) t.replace(at, key.size(), value);
  };
  put("{P}", problem_text_from_labels(r));
  put("{D}", std::string(to_string(r.direction)));
  put("{B}", r.backend + ":" + r.variant);
  return t;
}

// Entry i of a packed column (what report.js decodeColumns does).
json entry(const json& c, std::size_t i) {
  if (c.contains("d") || c.contains("k")) {
    const std::string& packed = c["k"].get_ref<const std::string&>();
    const std::size_t w = c["w"].get<std::size_t>();
    std::size_t code = 0;
    for (std::size_t j = 0; j < w; ++j) code = code * 64 + kCodeDigits.find(packed[i * w + j]);
    return c.contains("d") ? c["d"][code] : json(code);
  }
  if (c.contains("f")) {
    std::vector<std::string> items(1);
    for (char ch : c["f"].get<std::string>()) {
      if (ch == ',') items.emplace_back();
      else items.back() += ch;
    }
    const std::string& t = items.at(i);
    if (t.empty()) return nullptr;
    if (t == "inf" || t == "-inf" || t == "nan") return t;
    return std::stod(t);
  }
  return c["v"][i];
}

// Column `name` of row i, from the row columns or through the row's case.
json cell(const json& enc, const std::string& name, std::size_t i) {
  if (enc["cols"].contains(name)) return entry(enc["cols"][name], i);
  const std::size_t c = entry(enc["cols"]["case_ref"], i).get<std::size_t>();
  return entry(enc["cases"]["cols"][name], c);
}

TEST(RowEncoding, ReproTemplatesAreSharedAndExpandToTheOriginalCommand) {
  SyntheticOptions o;
  o.rows = 400;
  const auto rows = synthetic_rows(o);
  const json enc = encode_rows(rows);
  EXPECT_LT(enc["cols"]["repro"]["d"].size(), 3u);  // one template for the whole run
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(expand(cell(enc, "repro", i).get<std::string>(), rows[i]), rows[i].repro) << i;
  }
}

TEST(RowEncoding, AnUnusualReproIsKeptVerbatim) {
  ResultRow r = test::make_row("golden", "naive", Outcome::PASSED);
  r.repro = "tconv run cases/models.yaml --filter 'name=golden' --backends naive:default";
  EXPECT_EQ(repro_template(r), r.repro);
  r.repro = "tconv repro \"{weird}\"";
  EXPECT_EQ(repro_template(r), r.repro);
}

TEST(RowEncoding, TextColumnsAreDictionariesNumbersArrays) {
  std::vector<ResultRow> rows = {test::make_row("a", "naive", Outcome::PASSED, 0.123456789),
                                 test::make_row("b", "naive", Outcome::INCORRECT, HUGE_VAL),
                                 test::make_row("c", "openmp", Outcome::UNSUPPORTED, std::nullopt)};
  rows[1].reason = "3 of 10 elements over bound";
  rows[0].algorithm = "BWD_DATA_ALGO_1";
  rows[0].workspace_bytes = 1 << 20;
  rows[0].deterministic = false;
  rows[1].deterministic = true;
  rows[0].reference = "oracle";
  rows[1].reference = "oracle sample 300/5000";
  const json enc = encode_rows(rows);
  EXPECT_EQ(enc["n"], 3);
  EXPECT_EQ(enc["cols"]["backend"]["d"], (json{"naive:default", "openmp:default"}));
  EXPECT_EQ(enc["cols"]["backend"]["k"], "001");
  EXPECT_EQ(enc["cases"]["n"], 3);
  EXPECT_EQ(cell(enc, "case", 2), "c");
  EXPECT_EQ(cell(enc, "c_out", 2), 6);
  EXPECT_EQ(cell(enc, "status", 1), "INCORRECT");
  EXPECT_EQ(cell(enc, "reason", 1), "3 of 10 elements over bound");
  EXPECT_DOUBLE_EQ(cell(enc, "ratio", 0).get<double>(), 0.1235);  // 4 significant digits
  EXPECT_EQ(cell(enc, "ratio", 1), "inf");
  EXPECT_TRUE(cell(enc, "ratio", 2).is_null());
  EXPECT_EQ(cell(enc, "stride", 0), "2x2");
  EXPECT_EQ(cell(enc, "output", 0), "11x15");
  EXPECT_EQ(cell(enc, "c_in", 1), 4);
  EXPECT_FALSE(enc["cols"].contains("time_ms"));  // no perf data, no perf columns
  EXPECT_EQ(cell(enc, "algorithm", 0), "BWD_DATA_ALGO_1");
  EXPECT_EQ(cell(enc, "algorithm", 1), "");
  EXPECT_EQ(cell(enc, "workspace", 0), 1048576.0);
  EXPECT_TRUE(cell(enc, "workspace", 1).is_null());
  EXPECT_EQ(cell(enc, "deterministic", 0), "no");
  EXPECT_EQ(cell(enc, "deterministic", 1), "yes");
  EXPECT_EQ(cell(enc, "deterministic", 2), "");
  EXPECT_EQ(cell(enc, "reference", 0), "oracle");
  EXPECT_EQ(cell(enc, "reference", 1), "oracle sample 300/5000");
  EXPECT_EQ(cell(enc, "reference", 2), "");
}

// Perf rows carry their staging time beside the median (issue 16); a row that staged nothing
// has none.
TEST(RowEncoding, PerfRowsCarryTheirStagingTime) {
  std::vector<ResultRow> rows = {test::make_row("a", "cudnn", Outcome::PASSED, 0.1),
                                 test::make_row("b", "cudnn", Outcome::PASSED, 0.1)};
  for (ResultRow& r : rows) r.time_ms = 2.0;
  rows[0].staging_ms = 0.375;
  const json enc = encode_rows(rows);
  EXPECT_DOUBLE_EQ(cell(enc, "time_ms", 0).get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(cell(enc, "staging_ms", 0).get<double>(), 0.375);
  EXPECT_TRUE(cell(enc, "staging_ms", 1).is_null());
}

TEST(RowEncoding, RowsOfOneCaseShareItsProblemColumns) {
  SyntheticOptions o;
  o.rows = 160;  // 10 cases x 4 backends x 4 directions
  const auto rows = synthetic_rows(o);
  const json enc = encode_rows(rows);
  EXPECT_EQ(enc["cases"]["n"], 10);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(cell(enc, "case", i), rows[i].case_name);
    ASSERT_EQ(cell(enc, "kernel", i), axis_label(Axis::kernel, rows[i]));
    ASSERT_EQ(cell(enc, "backend", i), rows[i].backend + ":default");
  }
}

TEST(RowEncoding, NoRowsStillHasEveryColumn) {
  const json enc = encode_rows({});
  for (const auto& name : case_column_names()) EXPECT_TRUE(enc["cases"]["cols"].contains(name)) << name;
  for (const char* name :
       {"case_ref", "backend", "status", "ratio", "repro", "algorithm", "workspace", "deterministic", "reference"})
    EXPECT_TRUE(enc["cols"].contains(name)) << name;
}

TEST(RowEncoding, PackedCodesAndCompactNumbers) {
  EXPECT_EQ(code_width(1), 1);
  EXPECT_EQ(code_width(64), 1);
  EXPECT_EQ(code_width(65), 2);
  EXPECT_EQ(code_width(4097), 3);
  EXPECT_EQ(code_text(0, 2), "00");
  EXPECT_EQ(code_text(63, 1), "_");
  EXPECT_EQ(code_text(64 * 3 + 10, 2), "3A");
  EXPECT_EQ(compact_number(1.19205e-07, 3), "1.19e-7");
  EXPECT_EQ(compact_number(250000.0, 2), "2.5e5");
  EXPECT_EQ(compact_number(0.5, 4), "0.5");
  EXPECT_EQ(compact_number(1e-300, 2), "1e-300");
  EXPECT_EQ(compact_number(HUGE_VAL, 2), "inf");
  EXPECT_EQ(std::stod(compact_number(6.02e23, 4)), 6.02e23);
}

TEST(RowEncoding, DetailsAreShortenedWithinTheBudget) {
  RowEncodingLimits limits;
  limits.detail_bytes = 2000;
  std::vector<ResultRow> rows;
  for (int i = 0; i < 50; ++i) {
    ResultRow r = test::make_row("c" + std::to_string(i), "naive", Outcome::INCORRECT, 10.0);
    r.reason = std::to_string(i) + std::string(500, 'x');
    r.first_mismatches = "[0,0,0,0] got 1 want 2; [0,0,0,1] got 1 want 2; [0,0,0,2] got 1 want 2; [0,0,0,3] got 1 want 2";
    rows.push_back(r);
  }
  const json enc = encode_rows(rows, limits);
  EXPECT_EQ(cell(enc, "reason", 0).get<std::string>().size(), limits.reason_chars + 3);
  EXPECT_EQ(cell(enc, "mismatch_list", 0), "[0,0,0,0] got 1 want 2; [0,0,0,1] got 1 want 2; [0,0,0,2] got 1 want 2; ...");
  EXPECT_EQ(cell(enc, "reason", 49), kShortenedReason);
  EXPECT_EQ(cell(enc, "mismatch_list", 49), "");
  EXPECT_EQ(enc["shortened"], 50);
}

TEST(RowEncoding, Helpers) {
  EXPECT_EQ(round_significant(0.000123456, 3), 0.000123);
  EXPECT_EQ(round_significant(98765.0, 2), 99000.0);
  EXPECT_TRUE(std::isinf(round_significant(HUGE_VAL, 3)));
  EXPECT_EQ(first_entries("a; b; c", 5), "a; b; c");
  EXPECT_EQ(first_entries("a; b; c", 2), "a; b; ...");
}

}  // namespace
}  // namespace tconv::reports
