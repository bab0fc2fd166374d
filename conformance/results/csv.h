// RFC 4180 CSV: quoting on write, a tolerant reader for files a killed run left behind.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "backends/api/result.h"

namespace tconv {

// Quotes a field when it holds a comma, a quote, CR or LF (quotes doubled).
std::string csv_field(std::string_view s);
// One record, fields joined by commas, ending with "\n".
std::string csv_record(const std::vector<std::string>& fields);

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> records;
  bool dropped_partial_tail = false;  // a last record without its newline (a killed writer)
};

// Parses complete records; an unterminated last record is dropped, not an error.
// Errors: an empty file, a quote in the middle of an unquoted field.
Result<CsvTable> parse_csv(std::string_view text);

// Appends records to a file, each with a single write(2) so that a killed process leaves
// whole records only (plus at worst nothing of the record in flight).
class CsvAppender {
 public:
  CsvAppender() = default;
  CsvAppender(const CsvAppender&) = delete;
  CsvAppender& operator=(const CsvAppender&) = delete;
  ~CsvAppender();

  // Opens for appending (creating it); returns "" or the error.
  std::string open(const std::string& path);
  std::string append(const std::vector<std::string>& fields);
  void close();
  bool is_open() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace tconv
