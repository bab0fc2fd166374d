#include "backends/external/external_backend.h"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "backends/api/npy.h"
#include "backends/external/protocol.h"
#include "backends/external/subprocess.h"

namespace tconv {

namespace {

namespace fs = std::filesystem;

struct ExternalCommand {
  std::string name, command;
  ExternalDeclaration declared;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

// A fresh private directory under $TMPDIR (or /tmp); removed when the object dies unless
// TCONV_EXTERNAL_KEEP is set (then its path is in the failure message for a look).
class WorkDir {
 public:
  WorkDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/tconv-external-XXXXXX";
    if (::mkdtemp(pattern.data())) path_ = pattern;
  }
  ~WorkDir() {
    std::error_code ec;
    if (!path_.empty() && !keep()) fs::remove_all(path_, ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  const std::string& path() const { return path_; }
  static bool keep() { return std::getenv("TCONV_EXTERNAL_KEEP") != nullptr; }

 private:
  std::string path_;
};

class ExternalBackend final : public Backend {
 public:
  explicit ExternalBackend(std::shared_ptr<const ExternalCommand> cmd) : cmd_(std::move(cmd)) {}

  std::string name() const override { return cmd_->name; }
  Capabilities capabilities() const override { return cmd_->declared.capabilities; }
  MathMode math(const Problem& p) const override { return cmd_->declared.math.value_or(default_math(p.dtype)); }
  std::optional<double> last_device_time_ms() const override { return device_ms_; }

  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    device_ms_.reset();
    WorkDir dir;
    if (dir.path().empty()) return Status::Error(StatusCode::error, std::string("cannot create a work dir: ") + std::strerror(errno));
    const fs::path work = dir.path();
    const std::string where = WorkDir::keep() ? " (work dir " + dir.path() + ")" : "";

    if (!write_text(work / "problem.json", problem_json(p, d)))
      return Status::Error(StatusCode::error, "cannot write problem.json in " + dir.path());
    const std::pair<const char*, const HostTensor*> inputs[] = {{"x", ops.x}, {"w", ops.w}, {"b", ops.b}, {"dy", ops.dy}};
    for (const auto& [name, t] : inputs) {
      if (!t) continue;
      if (std::string err = write_npy((work / (std::string(name) + ".npy")).string(), *t); !err.empty())
        return Status::Error(StatusCode::error, err);
    }

    const std::string err_path = (work / "stderr.txt").string();
    const ProcessEnd end = run_shell_command(cmd_->command, {dir.path()}, (work / "stdout.txt").string(), err_path);
    const std::string said = tail_of_file(err_path, 3);
    const std::string stderr_tail = said.empty() ? "" : "; stderr: " + said;
    if (!end.ok())
      return Status::Error(StatusCode::error, cmd_->name + ": `" + cmd_->command + "` " + end.describe() + stderr_tail + where);

    HostTensor* out = d == Direction::fwd ? ops.y : d == Direction::bwd_data ? ops.dx
                      : d == Direction::bwd_weights ? ops.dw : ops.db;
    const std::string file = output_name(d) + ".npy";
    if (!fs::exists(work / file))
      return Status::Error(StatusCode::error, cmd_->name + ": exited 0 but wrote no " + file + stderr_tail + where);
    auto loaded = load_npy_tensor((work / file).string(), out->dtype(), out->layout(), out->dims(), out->groups());
    if (!loaded) return Status::Error(StatusCode::error, cmd_->name + ": " + loaded.error() + where);
    std::memcpy(out->data(), loaded->data(), out->bytes());

    if (fs::exists(work / "timing.json")) {
      auto t = parse_timing(read_text(work / "timing.json"));
      if (!t) return Status::Error(StatusCode::error, cmd_->name + ": " + t.error() + where);
      device_ms_ = *t;
    }
    return Status::Ok();
  }

 private:
  std::shared_ptr<const ExternalCommand> cmd_;
  std::optional<double> device_ms_;
};

bool is_backend_name(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  return true;
}

// `CMD --capabilities`: its JSON on stdout, or why not.
Result<ExternalDeclaration> ask_capabilities(const std::string& command) {
  using R = Result<ExternalDeclaration>;
  WorkDir dir;
  if (dir.path().empty()) return R::failure("cannot create a temporary directory");
  const fs::path out = fs::path(dir.path()) / "capabilities.json", err = fs::path(dir.path()) / "stderr.txt";
  const ProcessEnd end = run_shell_command(command, {"--capabilities"}, out.string(), err.string());
  if (!end.ok()) {
    const std::string said = tail_of_file(err.string(), 3);
    return R::failure("`" + command + " --capabilities` " + end.describe() + (said.empty() ? "" : "; stderr: " + said));
  }
  auto declared = parse_capabilities(read_text(out));
  if (!declared) return R::failure("`" + command + " --capabilities` printed bad JSON: " + declared.error());
  return declared;
}

}  // namespace

Result<BackendFactory> external_backend_factory(const std::string& spec) {
  using R = Result<BackendFactory>;
  const auto eq = spec.find('=');
  if (eq == std::string::npos)
    return R::failure("--external \"" + spec + "\": expected NAME=COMMAND, e.g. mine=\"python3 my_tconv.py\"");
  auto cmd = std::make_shared<ExternalCommand>();
  cmd->name = spec.substr(0, eq);
  cmd->command = spec.substr(eq + 1);
  if (!is_backend_name(cmd->name))
    return R::failure("--external \"" + spec + "\": the name must be letters, digits, '_' or '-'");
  if (cmd->command.find_first_not_of(" \t") == std::string::npos)
    return R::failure("--external \"" + spec + "\": no command after '='");
  auto declared = ask_capabilities(cmd->command);
  if (!declared) return R::failure("--external " + cmd->name + ": " + declared.error());
  cmd->declared = *declared;

  std::shared_ptr<const ExternalCommand> shared = cmd;
  BackendFactory f;
  f.name = cmd->name;
  f.description = "external command: " + cmd->command;
  f.variants = [] { return std::vector<std::string>{"default"}; };
  f.create = [shared](const std::string& variant, std::string* error) -> std::unique_ptr<Backend> {
    if (variant != "default") {
      if (error) *error = shared->name + " has only the variant 'default'";
      return nullptr;
    }
    return std::make_unique<ExternalBackend>(shared);
  };
  return f;
}

}  // namespace tconv
