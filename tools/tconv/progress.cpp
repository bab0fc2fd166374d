#include "tools/tconv/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace tconv::cli {

namespace {

int terminal_width() {
  winsize w{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 20) return w.ws_col;
  return 100;
}

}  // namespace

bool Progress::stderr_is_terminal() {
  const char* term = std::getenv("TERM");
  return ::isatty(STDERR_FILENO) && !(term && std::strcmp(term, "dumb") == 0);
}

Progress::Progress(std::int64_t planned_rows, bool terminal, std::FILE* out)
    : planned_(planned_rows), terminal_(terminal), out_(out), last_draw_(std::chrono::steady_clock::now()) {}

std::string Progress::counts_text() const {
  std::string s;
  for (Outcome o : kAllOutcomes)
    if (const auto n = summary_.count(o); n > 0)
      s += (s.empty() ? "" : " ") + std::string(to_string(o)) + " " + std::to_string(n);
  return s;
}

void Progress::add(const ResultRow& row) {
  summary_.add(row);
  const auto now = std::chrono::steady_clock::now();
  const auto interval = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(10000);
  if (!drawn_ || now - last_draw_ >= interval) {
    last_draw_ = now;
    draw(&row);
  }
}

void Progress::draw(const ResultRow* last) {
  drawn_ = true;
  const std::int64_t done = summary_.rows;
  const double pct = planned_ > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(planned_) : 100.0;
  char head[64];
  std::snprintf(head, sizeof head, "[%lld/%lld %3.0f%%] ", static_cast<long long>(done),
                static_cast<long long>(planned_), pct);
  std::string line = head + counts_text();
  if (terminal_) {
    if (last) line += " | " + last->case_name + " " + last->backend + ":" + last->variant + " " + std::string(to_string(last->direction));
    const auto width = static_cast<std::size_t>(terminal_width() - 1);
    if (line.size() > width) line.resize(width);
    std::fprintf(out_, "\r\033[K%s", line.c_str());
  } else {
    std::fprintf(out_, "tconv: %s\n", line.c_str());
  }
  std::fflush(out_);
}

void Progress::finish() {
  draw(nullptr);
  if (terminal_) std::fprintf(out_, "\n");
  std::fflush(out_);
}

}  // namespace tconv::cli
