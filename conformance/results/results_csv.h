// results.csv of a run directory: streamed row by row, read back for --resume and merge.
#pragma once

#include <string>
#include <vector>

#include "backends/api/result.h"
#include "conformance/results/csv.h"
#include "conformance/results/row.h"
#include "conformance/results/row_csv.h"

namespace tconv {

struct ResultsCsv {
  std::vector<ResultRow> rows;
  bool dropped_partial_tail = false;
};

// Reads a results.csv: the header must be this version's columns. A partial last record
// (a killed writer) is dropped. Errors name the file and the line.
Result<ResultsCsv> read_results_csv(const std::string& path);

// Writes the header and `rows` to path (via a temporary file and rename), then keeps the
// file open for appending further rows.
class ResultsCsvWriter {
 public:
  std::string start(const std::string& path, const std::vector<ResultRow>& existing_rows);
  std::string append(const ResultRow& row) { return out_.append(row_fields(row)); }
  void close() { out_.close(); }

 private:
  CsvAppender out_;
};

std::vector<std::string> result_header();

// Writes `text` to path atomically: a temporary file beside it, then rename(2).
std::string write_file_atomically(const std::string& path, const std::string& text);
Result<std::string> read_file(const std::string& path);

}  // namespace tconv
