#include "conformance/runner/fatal_signal_trace.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#if TCONV_HAVE_STACKTRACE
#include <boost/stacktrace.hpp>
#endif

namespace tconv {

namespace {

constexpr const char* kMarker = "tconv worker: fatal signal ";
constexpr int kFatalSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

void write_text(const char* s) {
  std::size_t n = std::strlen(s);
  while (n > 0) {
    const ssize_t w = ::write(2, s, n);
    if (w <= 0) return;
    s += w;
    n -= static_cast<std::size_t>(w);
  }
}

void on_fatal_signal(int sig) {
  // The marker first, with async-signal-safe calls only: it names the signal even if what
  // follows never finishes.
  char marker[64];
  int len = 0;
  for (const char* p = kMarker; *p; ++p) marker[len++] = *p;
  char digits[12];
  int nd = 0;
  for (int v = sig; v > 0 || nd == 0; v /= 10) digits[nd++] = static_cast<char>('0' + v % 10);
  while (nd > 0) marker[len++] = digits[--nd];
  marker[len++] = '\n';
  marker[len] = '\0';
  write_text(marker);
#if TCONV_HAVE_STACKTRACE
  // Symbolising is not async-signal-safe: a crash inside malloc could deadlock it. The alarm
  // ends such a worker; the runner still has the marker.
  ::alarm(5);
  try {
    const boost::stacktrace::stacktrace trace;
    std::size_t k = 0;
    for (const boost::stacktrace::frame& f : trace) {
      std::string line = "  #" + std::to_string(k++) + " " + f.name();
      if (line.size() > 200) line.resize(200);
      const std::string file = f.source_file();
      if (!file.empty()) line += " at " + file + ":" + std::to_string(f.source_line());
      line += "\n";
      write_text(line.c_str());
    }
  } catch (...) {
  }
#endif
  // SA_RESETHAND restored the default action: die of the same signal.
  ::raise(sig);
  ::_exit(128 + sig);
}

}  // namespace

void install_fatal_signal_trace() {
  struct sigaction sa {};
  sa.sa_handler = on_fatal_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND | SA_NODEFER;
  for (int sig : kFatalSignals) ::sigaction(sig, &sa, nullptr);
}

namespace {

// "ns::f(int, char**) const at f.cpp:3" -> "ns::f at f.cpp:3": argument lists make template-
// heavy frames unreadable in a one-line reason.
std::string without_arguments(const std::string& frame) {
  const std::string anon = "(anonymous namespace)";
  std::string f = frame;
  for (std::size_t at; (at = f.find(anon)) != std::string::npos;) f.replace(at, anon.size(), "{anon}");
  const std::size_t where = f.find(" at ");
  const std::string location = where == std::string::npos ? "" : f.substr(where);
  std::string name = where == std::string::npos ? f : f.substr(0, where);
  if (const std::size_t open = name.find('('); open != std::string::npos && open > 0) name.resize(open);
  return name + location;
}

// Frames of the worker's own serving loop, below the backend's code: where the trace stops.
bool is_worker_machinery(const std::string& frame) {
  return frame.rfind("tconv::guarded_run", 0) == 0 || frame.rfind("tconv::serve_isolated_worker", 0) == 0;
}

// Drops the frames of the handler itself, of the kernel's signal trampoline after it (no
// name, or libc's sigaction restorer), of raise() (which a planted crash goes through) and
// of the worker's serving loop below the backend.
std::vector<std::string> frames_of_the_crash(const std::vector<std::string>& all) {
  std::size_t first = 0;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i].find("on_fatal_signal") != std::string::npos) first = i + 1;
  if (first < all.size() && (all[first].empty() || all[first].rfind(" at ", 0) == 0 ||
                             all[first].find("sigaction") != std::string::npos ||
                             all[first].find("__restore_rt") != std::string::npos))
    ++first;
  std::vector<std::string> out;
  for (std::size_t i = first; i < all.size(); ++i) {
    const std::string& f = all[i];
    if (f.find("pthread_kill") != std::string::npos || f.rfind("raise", 0) == 0 || f.rfind("gsignal", 0) == 0)
      continue;
    if (is_worker_machinery(f)) break;
    out.push_back(f.empty() ? "??" : without_arguments(f));
  }
  return out;
}

}  // namespace

FatalSignalReport parse_fatal_signal_report(const std::string& text) {
  FatalSignalReport r;
  std::vector<std::string> raw;
  bool in_trace = false;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (line.rfind(kMarker, 0) == 0) {
      r.signal = std::atoi(line.c_str() + std::strlen(kMarker));
      raw.clear();
      in_trace = true;
      continue;
    }
    if (in_trace && line.rfind("  #", 0) == 0) {
      const std::size_t space = line.find(' ', 3);
      raw.push_back(space == std::string::npos ? "" : line.substr(space + 1));
      continue;
    }
    in_trace = false;
    r.lines.push_back(line);
  }
  r.frames = frames_of_the_crash(raw);
  return r;
}

}  // namespace tconv
