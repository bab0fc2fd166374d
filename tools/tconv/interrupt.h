// Ctrl-C (SIGINT) and SIGTERM during `tconv run`: the first one asks the runner to stop
// after the current row (the CSV stays valid, results.json is written); a second one
// kills as usual.
#pragma once

#include <atomic>

namespace tconv::cli {

const std::atomic<bool>& install_interrupt_handler();

}  // namespace tconv::cli
