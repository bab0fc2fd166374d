// The cuDNN library this build links, for the run environment.
#pragma once

#include <string>

namespace tconv::cudnn {

// "9.19.0 (headers 9.19.0)", from cudnnGetVersion() and the headers' macros.
std::string version_string();

}  // namespace tconv::cudnn
