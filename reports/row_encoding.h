// The report's rows as compact JSON, embedded once in report.html (< 2 MB for 10,000 rows):
//  - columns, not objects; the problem's columns once per case, each row naming its case;
//  - a text column is a dictionary plus one fixed-width base-64 code per row, packed in one
//    string ("k", "w" characters per code);
//  - a number column is one string of comma-separated numbers ("" = none, "inf", "nan"),
//    reals to 4 significant digits (the full values stay in results.csv);
//  - each repro command is a shared template the page fills in with the row's problem,
//    direction and backend; long reasons and mismatch lists are shortened within a budget.
// The page's script (assets/report.js, decodeColumns) reverses this.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conformance/results/row.h"

namespace tconv::reports {

struct RowEncodingLimits {
  std::size_t reason_chars = 240;         // per reason
  std::size_t mismatches = 3;             // first mismatches kept per row
  std::size_t detail_bytes = 600 * 1024;  // distinct reasons + mismatch lists, all rows together;
                                          // once spent, later rows show kShortenedReason instead
};
inline constexpr const char* kShortenedReason = "(not kept in the report: see results.csv)";

// {"n": rows, "shortened": rows whose reason or mismatches were cut,
//  "cases": {"n": cases, "cols": {name: column}}, "cols": {name: column, "case": codes}}
// column: {"d": [labels], "k": "codes", "w": width} | {"f": "numbers"} | {"v": [texts]}
nlohmann::ordered_json encode_rows(const std::vector<ResultRow>& rows, const RowEncodingLimits& limits = {});

// Row-level and case-level column names (the page reads both as row columns).
const std::vector<std::string>& case_column_names();

// The repro command with the row's problem, direction and backend replaced by {P}, {D} and
// {B}; the command itself when it does not have that form.
std::string repro_template(const ResultRow& r);

// v rounded to `digits` significant digits (non-finite values unchanged).
double round_significant(double v, int digits);
// The shortest text of v to `digits` significant digits: "1.23e-7", "0.5", "inf".
std::string compact_number(double v, int digits);

// Fixed-width base-64 codes: width for a dictionary of `size` labels, and code k's text.
int code_width(std::size_t size);
std::string code_text(std::size_t k, int width);
inline constexpr std::string_view kCodeDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

// "a; b; c; d" -> "a; b; c; ..." (at most n entries).
std::string first_entries(const std::string& list, std::size_t n);

}  // namespace tconv::reports
