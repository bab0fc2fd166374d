#include "backends/external/work_dir.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace tconv {

WorkDir::WorkDir(const char* prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "-XXXXXX";
  if (::mkdtemp(pattern.data())) path_ = pattern;
}

WorkDir::~WorkDir() {
  std::error_code ec;
  if (!path_.empty() && !keep()) std::filesystem::remove_all(path_, ec);
}

bool WorkDir::keep() { return std::getenv("TCONV_EXTERNAL_KEEP") != nullptr; }

}  // namespace tconv
