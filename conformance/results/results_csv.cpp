#include "conformance/results/results_csv.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tconv {

std::vector<std::string> result_header() {
  std::vector<std::string> h;
  for (const Column& c : result_columns()) h.emplace_back(c.name);
  return h;
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Result<std::string>::failure(path + ": " + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string write_file_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) return tmp + ": " + std::strerror(errno);
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    const bool flushed = std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
    std::fclose(f);
    if (!ok || !flushed) {
      std::remove(tmp.c_str());
      return tmp + ": write failed";
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string err = path + ": " + std::strerror(errno);
    std::remove(tmp.c_str());
    return err;
  }
  return "";
}

Result<ResultsCsv> read_results_csv(const std::string& path) {
  auto text = read_file(path);
  if (!text) return Result<ResultsCsv>::failure(text.error());
  auto table = parse_csv(*text);
  if (!table) return Result<ResultsCsv>::failure(path + ": " + table.error());
  // Columns are only ever appended: an older file's header is a prefix of this version's,
  // and the columns it lacks read as empty.
  const std::vector<std::string> header = result_header();
  const std::size_t have = table->header.size();
  if (have == 0 || have > header.size() || !std::equal(table->header.begin(), table->header.end(), header.begin()))
    return Result<ResultsCsv>::failure(path + ": the header is not this version's results.csv columns");
  ResultsCsv out;
  out.dropped_partial_tail = table->dropped_partial_tail;
  for (std::size_t i = 0; i < table->records.size(); ++i) {
    ResultRow row;
    std::vector<std::string> fields = table->records[i];
    if (fields.size() == have) fields.resize(header.size());
    if (Status s = row_from_fields(fields, &row); !s.ok())
      return Result<ResultsCsv>::failure(path + ": record " + std::to_string(i + 1) + ": " + s.message);
    out.rows.push_back(std::move(row));
  }
  return out;
}

std::string ResultsCsvWriter::start(const std::string& path, const std::vector<ResultRow>& existing_rows) {
  std::string text = csv_record(result_header());
  for (const ResultRow& r : existing_rows) text += csv_record(row_fields(r));
  if (std::string err = write_file_atomically(path, text); !err.empty()) return err;
  return out_.open(path);
}

}  // namespace tconv
