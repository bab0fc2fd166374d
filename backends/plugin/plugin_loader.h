// Run-time plugins (`--plugin libmine.so`): a shared library exporting the C ABI of
// tconv_plugin.h, wrapped as an ordinary backend factory.
#pragma once

#include <string>

#include "backends/api/registry.h"
#include "backends/api/result.h"

namespace tconv {

// dlopen()s the library, finds tconv_plugin_entry, checks the ABI version and the table.
// The library stays loaded as long as the factory or any backend it created lives.
// Errors are one line naming the file: missing file, missing symbol, wrong ABI version...
Result<BackendFactory> load_plugin(const std::string& path);

}  // namespace tconv
