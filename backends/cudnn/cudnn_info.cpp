#include "backends/cudnn/cudnn_info.h"

#include <cudnn.h>

namespace tconv::cudnn {

namespace {
std::string dotted(std::size_t v) {
  // cuDNN 9 encodes major*10000 + minor*100 + patch.
  return std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." + std::to_string(v % 100);
}
}  // namespace

std::string version_string() {
  return dotted(cudnnGetVersion()) + " (headers " + dotted(CUDNN_VERSION) + ")";
}

}  // namespace tconv::cudnn
