// The row's formats against each other and against files an older tconv wrote: every
// typed value survives Row -> CSV -> Row and Row -> JSON -> Row, today's texts are pinned
// (byte for byte what the writers produced before the typed row model), and the results of
// older runs (testdata/, before columns were appended) still read to the same rows.
#include <gtest/gtest.h>

#include <cmath>
#include <variant>

#include "conformance/results/results_csv.h"
#include "conformance/results/results_json.h"
#include "conformance/results/row_columns.h"

namespace tconv {
namespace {

// Every column set, none at its default; texts that CSV must quote and JSON must escape.
ResultRow full_row() {
  ResultRow r;
  r.case_name = "grid/3, \"quoted\"";
  r.source = "cases/x.yaml:12";
  r.backend = "cudnn";
  r.variant = "algo=FWD_ALGO_FFT";
  r.direction = Direction::bwd_data;
  Problem& p = r.problem;
  p.n = 2, p.c_in = 4, p.c_out = 6, p.groups = 2, p.h_in = 5, p.w_in = 7, p.kh = 3, p.kw = 2;
  p.stride_h = 2, p.stride_w = 3, p.dil_h = 1, p.dil_w = 2;
  p.crop_top = 1, p.crop_bottom = -1, p.crop_left = 0, p.crop_right = 2;
  p.bias = false;
  p.dtype = DType::bf16;
  p.layout = Layout::NHWC;
  p.weight_layout = Layout::OIHW_FLIPPED;
  r.status = Outcome::INCORRECT;
  r.reason = "3 of 120 elements over bound; caf\xc3\xa9, two\nlines";
  r.math = "bf16 acc f32, 2 roundings";
  r.algorithm = "FWD_ALGO_FFT";
  r.workspace_bytes = 1LL << 40;
  r.deterministic = false;
  r.repeat_max_diff = 0x1p-23;
  r.max_abs_err = 0.1 + 0.2;
  r.max_rel_err = 1e-300;
  r.err_bound_ratio = HUGE_VAL;
  r.zero_fraction = -0.0;
  r.max_ulp = std::nan("");
  r.mismatches = 3;
  r.elements = 120;
  r.first_mismatches = "[0,1,2,3] got nan want 1; [0,1,2,4] got inf want 2";
  r.time_ms = 1.5;
  r.time_min_ms = 1.25;
  r.time_max_ms = -HUGE_VAL;
  r.gflops = 12345.678;
  r.gbps = 5e-324;
  r.repeats = 7;
  r.timer = "device";
  r.repro = "tconv repro \"n=2 ci=4\" --backend cudnn:algo=FWD_ALGO_FFT";
  r.reference = "oracle sample 300/4096";
  r.staging_ms = 0.125;
  return r;
}

// A row as (column, typed value) pairs: enums by their value, absent optionals as monostate.
using Value = std::variant<std::monostate, std::string, std::int64_t, double, bool>;
struct TypedValues {
  std::vector<std::pair<std::string, Value>>& out;
  const ResultRow& row;
  template <class T>
  void operator()(std::string_view name, const T& v) {
    out.emplace_back(name, value(v));
  }
  void operator()(std::string_view name, const DerivedColumn& d) { out.emplace_back(name, (row.problem.*d.of)()); }
  template <class T>
  static Value value(const T& v) {
    if constexpr (std::is_enum_v<T>) return static_cast<std::int64_t>(v);
    else return v;
  }
  template <class T>
  static Value value(const std::optional<T>& v) {
    return v ? value(*v) : Value();
  }
};

std::vector<std::pair<std::string, Value>> typed(const ResultRow& r) {
  std::vector<std::pair<std::string, Value>> out;
  visit_columns(r, TypedValues{out, r});
  return out;
}

// Equal as typed values; NaN equals NaN, and -0 is not +0.
void expect_same_row(const ResultRow& got, const ResultRow& want) {
  const auto a = typed(got), b = typed(want);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Value &x = a[i].second, &y = b[i].second;
    if (const double *dx = std::get_if<double>(&x), *dy = std::get_if<double>(&y); dx && dy)
      EXPECT_TRUE((std::isnan(*dx) && std::isnan(*dy)) || (*dx == *dy && std::signbit(*dx) == std::signbit(*dy)))
          << a[i].first << ": " << *dx << " vs " << *dy;
    else
      EXPECT_TRUE(x == y) << a[i].first;
  }
}

// Written by the CSV and JSON writers before the typed row model (tconv at a5b5125).
constexpr std::string_view kFullRowCsv = R"golden("grid/3, ""quoted""",cudnn,algo=FWD_ALGO_FFT,bwd_data,bf16,INCORRECT,"3 of 120 elements over bound; café, two
lines",0.30000000000000004,1e-300,inf,3,120,-0,1.5,1.25,-inf,7,device,12345.678,5e-324,"bf16 acc f32, 2 roundings","tconv repro ""n=2 ci=4"" --backend cudnn:algo=FWD_ALGO_FFT",2,4,6,2,5,7,3,2,2,3,1,2,1,-1,0,2,0,NHWC,OIHW_FLIPPED,11,19,cases/x.yaml:12,"[0,1,2,3] got nan want 1; [0,1,2,4] got inf want 2",FWD_ALGO_FFT,1099511627776,0,1.1920928955078125e-07,nan,oracle sample 300/4096,0.125
)golden";
constexpr std::string_view kFullRowJson = R"golden({"case":"grid/3, \"quoted\"","backend":"cudnn","variant":"algo=FWD_ALGO_FFT","direction":"bwd_data","dtype":"bf16","status":"INCORRECT","reason":"3 of 120 elements over bound; café, two\nlines","max_abs_err":0.30000000000000004,"max_rel_err":1e-300,"err_bound_ratio":"inf","mismatches":3,"elements":120,"zero_fraction":-0.0,"time_ms":1.5,"time_min_ms":1.25,"time_max_ms":"-inf","repeats":7,"timer":"device","gflops":12345.678,"gbps":5e-324,"math":"bf16 acc f32, 2 roundings","repro":"tconv repro \"n=2 ci=4\" --backend cudnn:algo=FWD_ALGO_FFT","n":2,"c_in":4,"c_out":6,"groups":2,"h_in":5,"w_in":7,"kh":3,"kw":2,"stride_h":2,"stride_w":3,"dil_h":1,"dil_w":2,"pad_top":1,"pad_bottom":-1,"pad_left":0,"pad_right":2,"bias":false,"layout":"NHWC","weight_layout":"OIHW_FLIPPED","h_out":11,"w_out":19,"source":"cases/x.yaml:12","first_mismatches":"[0,1,2,3] got nan want 1; [0,1,2,4] got inf want 2","algorithm":"FWD_ALGO_FFT","workspace_bytes":1099511627776,"deterministic":false,"repeat_max_diff":1.1920928955078125e-07,"max_ulp":"nan","reference":"oracle sample 300/4096","staging_ms":0.125})golden";

TEST(RowFormats, CsvRoundTripKeepsEveryTypedValue) {
  const ResultRow r = full_row();
  ResultRow back;
  ASSERT_EQ(row_from_fields(row_fields(r), &back), Status::Ok());
  expect_same_row(back, r);
  EXPECT_EQ(back.problem, r.problem);
}

TEST(RowFormats, JsonRoundTripKeepsEveryTypedValue) {
  const ResultRow r = full_row();
  auto back = row_from_json(nlohmann::ordered_json::parse(row_to_json(r).dump()));
  ASSERT_TRUE(back) << back.error();
  expect_same_row(*back, r);
  EXPECT_EQ(back->problem, r.problem);
}

TEST(RowFormats, TextsAreTheOnesEarlierVersionsWrote) {
  EXPECT_EQ(csv_record(row_fields(full_row())), kFullRowCsv);
  EXPECT_EQ(row_to_json(full_row()).dump(), kFullRowJson);
  auto table = parse_csv(csv_record(result_header()) + std::string(kFullRowCsv));
  ASSERT_TRUE(table) << table.error();
  ResultRow from_csv;
  ASSERT_EQ(row_from_fields(table->records.at(0), &from_csv), Status::Ok());
  auto from_json = row_from_json(nlohmann::ordered_json::parse(kFullRowJson));
  ASSERT_TRUE(from_json) << from_json.error();
  expect_same_row(from_csv, full_row());
  expect_same_row(*from_json, full_row());
}

TEST(RowFormats, EveryFormatHasEveryColumnInTheSchemaOrderWithItsType) {
  const auto j = row_to_json(full_row());
  const auto& columns = result_columns();
  ASSERT_EQ(j.size(), columns.size());
  ASSERT_EQ(row_fields(full_row()).size(), columns.size());
  std::size_t i = 0;
  for (const auto& [key, v] : j.items()) {
    const Column& c = columns[i++];
    EXPECT_EQ(key, c.name);
    switch (c.kind) {
      case ColumnKind::text: EXPECT_TRUE(v.is_string()) << key; break;
      case ColumnKind::integer: EXPECT_TRUE(v.is_number_integer()) << key; break;
      case ColumnKind::boolean: EXPECT_TRUE(v.is_boolean()) << key; break;
      case ColumnKind::real: EXPECT_TRUE(v.is_number_float() || v.is_string()) << key; break;  // "inf", "nan"
    }
  }
}

TEST(RowFormats, JsonReaderNamesTheColumnItCannotRead) {
  auto j = row_to_json(full_row());
  j["direction"] = 3;
  auto bad = row_from_json(j);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("direction"), std::string::npos);
  j = row_to_json(full_row());
  j.erase("c_in");  // a required column
  bad = row_from_json(j);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("c_in"), std::string::npos);
  j = row_to_json(full_row());
  j["max_abs_err"] = "many";
  EXPECT_FALSE(row_from_json(j));
  j = row_to_json(full_row());
  j.erase("time_ms");  // optional: absent, as in an older run
  j["gbps"] = nullptr;
  auto ok = row_from_json(j);
  ASSERT_TRUE(ok) << ok.error();
  EXPECT_FALSE(ok->time_ms.has_value());
  EXPECT_FALSE(ok->gbps.has_value());
}

std::string testdata(const std::string& name) { return std::string(TCONV_SOURCE_DIR) + "/conformance/results/testdata/" + name; }

// results.csv and results.json of a run made before the `reference` column (issue 17):
// both read, to the same rows, and today's writers give back the files' own texts for the
// columns they have.
TEST(RowFormats, AnOlderRunReadsTheSameFromItsCsvAndItsJson) {
  const std::string dir = testdata("run_before_reference");
  auto csv = read_results_csv(dir + "/results.csv");
  ASSERT_TRUE(csv) << csv.error();
  auto js = read_results_json(dir + "/results.json");
  ASSERT_TRUE(js) << js.error();
  ASSERT_EQ(csv->rows.size(), 9u);
  ASSERT_EQ(js->rows.size(), csv->rows.size());

  auto text = read_file(dir + "/results.csv");
  auto table = parse_csv(*text);
  const auto raw_json = nlohmann::ordered_json::parse(*read_file(dir + "/results.json"));
  const std::size_t old_columns = table->header.size();
  ASSERT_LT(old_columns, result_columns().size());
  for (std::size_t i = 0; i < csv->rows.size(); ++i) {
    SCOPED_TRACE(i);
    expect_same_row(js->rows[i], csv->rows[i]);
    EXPECT_EQ(js->rows[i].reference, "");
    std::vector<std::string> fields = row_fields(csv->rows[i]);
    fields.resize(old_columns);
    EXPECT_EQ(fields, table->records[i]);
    auto j = row_to_json(js->rows[i]);
    for (std::size_t c = old_columns; c < result_columns().size(); ++c) j.erase(std::string(result_columns()[c].name));
    EXPECT_EQ(j, raw_json["rows"][i]);
  }
}

// A --perf results.csv from before the `repeat_max_diff` column (an H200 run of 2026-12-04).
TEST(RowFormats, AnOlderPerfCsvReadsAndWritesBackItsOwnText) {
  const std::string path = testdata("perf_before_repeat_check/results.csv");
  auto csv = read_results_csv(path);
  ASSERT_TRUE(csv) << csv.error();
  auto table = parse_csv(*read_file(path));
  ASSERT_EQ(csv->rows.size(), table->records.size());
  ASSERT_FALSE(csv->rows.empty());
  for (std::size_t i = 0; i < csv->rows.size(); ++i) {
    EXPECT_TRUE(csv->rows[i].time_ms.has_value());
    EXPECT_FALSE(csv->rows[i].repeat_max_diff.has_value());  // a column it predates
    std::vector<std::string> fields = row_fields(csv->rows[i]);
    fields.resize(table->header.size());
    EXPECT_EQ(fields, table->records[i]) << i;
  }
}

}  // namespace
}  // namespace tconv
