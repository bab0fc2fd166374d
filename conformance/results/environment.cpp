#include "conformance/results/environment.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#if defined(TCONV_WITH_CUDA)
#include "backends/cuda/device_info.h"
#endif
#if defined(TCONV_WITH_CUDNN)
#include "backends/cudnn/cudnn_info.h"
#endif
#if defined(TCONV_WITH_ONEDNN) && __has_include(<oneapi/dnnl/dnnl.h>)
#include <oneapi/dnnl/dnnl.h>
#define TCONV_HAVE_DNNL_VERSION 1
#endif

#ifndef TCONV_SOURCE_DIR
#define TCONV_SOURCE_DIR "."
#endif
#ifndef TCONV_BUILD_TYPE
#define TCONV_BUILD_TYPE "unknown"
#endif

namespace tconv {

namespace {

// The value after "key:" on the first /proc line that starts with key.
std::string proc_field(const char* file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string v = line.substr(colon + 1);
    v.erase(0, v.find_first_not_of(" \t"));
    return v;
  }
  return "";
}

std::string command_output(const std::string& cmd) {
  std::string out;
  if (std::FILE* p = ::popen(cmd.c_str(), "r")) {
    std::array<char, 256> buf{};
    while (std::fgets(buf.data(), buf.size(), p)) out += buf.data();
    ::pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::int64_t meminfo_bytes(const char* key) {
  const std::string v = proc_field("/proc/meminfo", key);  // "12345 kB"
  try {
    return v.empty() ? 0 : std::stoll(v) * 1024;
  } catch (...) {
    return 0;
  }
}

}  // namespace

std::string git_commit() {
  const std::string src = TCONV_SOURCE_DIR;
  std::string c = command_output("git -C '" + src + "' rev-parse HEAD 2>/dev/null");
  if (c.size() != 40) return "unknown";
  if (!command_output("git -C '" + src + "' status --porcelain --untracked-files=no 2>/dev/null").empty())
    c += "-dirty";
  return c;
}

nlohmann::ordered_json collect_environment() {
  nlohmann::ordered_json env;
  env["cpu"] = proc_field("/proc/cpuinfo", "model name");
  env["cores"] = std::thread::hardware_concurrency();
  env["memory_bytes"] = meminfo_bytes("MemTotal");
  utsname u{};
  if (::uname(&u) == 0) {
    env["os"] = std::string(u.sysname) + " " + u.release + " " + u.machine;
    env["host"] = u.nodename;
  }
#if defined(__clang__)
  env["compiler"] = std::string("clang ") + __VERSION__;
#elif defined(__GNUC__)
  env["compiler"] = std::string("GCC ") + __VERSION__;
#else
  env["compiler"] = __VERSION__;
#endif
  env["build_type"] = TCONV_BUILD_TYPE;
  env["git_commit"] = git_commit();

  nlohmann::ordered_json built = nlohmann::ordered_json::array();
#if defined(TCONV_WITH_OPENMP)
  built.push_back("openmp");
#endif
#if defined(TCONV_WITH_CUDA)
  built.push_back("cuda");
  const cuda::DeviceReport dev = cuda::query_devices();
  nlohmann::ordered_json gpus = nlohmann::ordered_json::array();
  for (const auto& g : dev.gpus)
    gpus.push_back({{"index", g.index},
                    {"name", g.name},
                    {"compute_capability", std::to_string(g.cc_major) + "." + std::to_string(g.cc_minor)},
                    {"memory_gib", g.memory_gib}});
  env["gpus"] = gpus;
  env["cuda_driver_version"] = dev.driver_version;
  env["cuda_runtime_version"] = dev.runtime_version;
  if (dev.gpus.empty()) env["gpu_note"] = dev.why_none;
#endif
#if defined(TCONV_WITH_CUDNN)
  built.push_back("cudnn");
  env["cudnn_version"] = cudnn::version_string();
#endif
#if defined(TCONV_WITH_ONEDNN)
  built.push_back("onednn");
#if defined(TCONV_HAVE_DNNL_VERSION)
  if (const dnnl_version_t* v = dnnl_version())
    env["onednn_version"] = std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                            std::to_string(v->patch) + " (" + v->hash + ")";
#endif
#endif
  env["built_with"] = built;
  return env;
}

}  // namespace tconv
