// In a supervised worker: a fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) prints
//   tconv worker: fatal signal N
// and, where Boost.Stacktrace with libbacktrace was found at configure time, the native
// backtrace (one "  #K function at file:line" line a frame) to stderr, then the process dies
// of the same signal. The runner reads both from the worker's stderr into the CRASHED row.
#pragma once

#include <string>
#include <vector>

namespace tconv {

void install_fatal_signal_trace();

// The runner's side: what a dead worker's stderr says.
struct FatalSignalReport {
  int signal = 0;                   // from the marker line; 0 when there is none
  std::vector<std::string> frames;  // "function at file:line", the handler's own frames dropped
  std::vector<std::string> lines;   // the other non-empty lines, in order
};
FatalSignalReport parse_fatal_signal_report(const std::string& stderr_text);

}  // namespace tconv
