#include "backends/external/external_backend.h"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#include "backends/api/npy.h"
#include "backends/external/protocol.h"
#include "backends/external/server_connection.h"
#include "backends/external/subprocess.h"
#include "backends/external/work_dir.h"

namespace tconv {

namespace {

namespace fs = std::filesystem;

struct ExternalCommand {
  std::string name, command;
  ExternalDeclaration declared;
  // Persistent mode (--external-server): the reply timeout, and a running server that no
  // instance holds: the one started at load time for its hello, or one an instance left when
  // it went away (tconv run makes a short-lived instance to read capabilities). The next
  // instance takes it, so CMD is not started again; an instance finding none starts its own.
  bool server = false;
  ServerOptions options;
  mutable std::mutex spare_mutex;
  mutable std::unique_ptr<ServerConnection> spare;

  std::unique_ptr<ServerConnection> connection() const {
    std::lock_guard<std::mutex> lock(spare_mutex);
    if (spare) return std::move(spare);
    return std::make_unique<ServerConnection>(name, command, options);
  }
  void give_back(std::unique_ptr<ServerConnection> c) const {
    std::lock_guard<std::mutex> lock(spare_mutex);
    if (!spare && c->pid() >= 0) spare = std::move(c);
  }  // otherwise `c` goes here: the shutdown line, and reaped
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

class ExternalBackend final : public Backend {
 public:
  explicit ExternalBackend(std::shared_ptr<const ExternalCommand> cmd)
      : cmd_(std::move(cmd)), server_(cmd_->server ? cmd_->connection() : nullptr) {}
  ~ExternalBackend() override {
    if (server_) cmd_->give_back(std::move(server_));
  }

  std::string name() const override { return cmd_->name; }
  Capabilities capabilities() const override { return cmd_->declared.capabilities; }
  MathMode math(const Problem& p) const override { return cmd_->declared.math_for(p.dtype); }
  std::optional<double> last_device_time_ms() const override { return device_ms_; }
  std::optional<double> last_staging_time_ms() const override { return staging_ms_; }
  RunDetails last_run_details() const override { return details_; }

  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    device_ms_.reset();
    staging_ms_.reset();
    details_ = {};
    WorkDir dir;
    if (dir.path().empty()) return Status::Error(StatusCode::error, std::string("cannot create a work dir: ") + std::strerror(errno));
    const fs::path work = dir.path();
    const std::string where = WorkDir::keep() ? " (work dir " + dir.path() + ")" : "";

    if (!write_text(work / "problem.json", problem_json(p, d)))
      return Status::Error(StatusCode::error, "cannot write problem.json in " + dir.path());
    const std::pair<const char*, const HostTensor*> inputs[] = {{"x", ops.x}, {"w", ops.w}, {"b", ops.b}, {"dy", ops.dy}};
    for (const auto& [name, t] : inputs) {
      if (!t) continue;
      if (Status s = write_npy((work / (std::string(name) + ".npy")).string(), *t); !s.ok()) return s;
    }

    // The transport is the only difference between the modes: a process per call, or a
    // request line to the server (whose stderr is its own, not this call's).
    std::string stderr_tail, done = "exited 0";
    CallReport replied;
    if (server_) {
      Status s = server_->call(dir.path(), &replied);
      if (!s.ok()) {
        s.message += where;
        return s;
      }
      done = "replied ok";
    } else {
      const std::string err_path = (work / "stderr.txt").string();
      const ProcessEnd end = run_shell_command(cmd_->command, {dir.path()}, (work / "stdout.txt").string(), err_path);
      const std::string said = tail_of_file(err_path, 3);
      stderr_tail = said.empty() ? "" : "; stderr: " + said;
      if (!end.ok())
        return Status::Error(StatusCode::error, cmd_->name + ": `" + cmd_->command + "` " + end.describe() + stderr_tail + where);
    }

    HostTensor* out = d == Direction::fwd ? ops.y : d == Direction::bwd_data ? ops.dx
                      : d == Direction::bwd_weights ? ops.dw : ops.db;
    const std::string file = output_name(d) + ".npy";
    if (!fs::exists(work / file))
      return Status::Error(StatusCode::error, cmd_->name + ": " + done + " but wrote no " + file + stderr_tail + where);
    auto loaded = load_npy_tensor((work / file).string(), out->dtype(), out->layout(), out->dims(), out->groups());
    if (!loaded) return Status::Error(StatusCode::error, cmd_->name + ": " + loaded.error() + where);
    std::memcpy(out->data(), loaded->data(), out->bytes());

    // A server reports in its reply, or (a reply without report fields) in timing.json like
    // a per-call command.
    CallReport report = replied;
    const bool replied_nothing = !replied.device_time_ms && !replied.staging_time_ms && replied.details.algorithm.empty() &&
                                 !replied.details.workspace_bytes && !replied.details.deterministic;
    if (replied_nothing && fs::exists(work / "timing.json")) {
      auto t = parse_timing(read_text(work / "timing.json"));
      if (!t) return Status::Error(StatusCode::error, cmd_->name + ": " + t.error() + where);
      report = *t;
    }
    device_ms_ = report.device_time_ms;
    staging_ms_ = report.staging_time_ms;
    details_ = report.details;
    return Status::Ok();
  }

 private:
  std::shared_ptr<const ExternalCommand> cmd_;
  std::unique_ptr<ServerConnection> server_;  // persistent mode only
  std::optional<double> device_ms_, staging_ms_;
  RunDetails details_;
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

// "NAME=COMMAND" checked, or why not (naming `option`).
Result<std::shared_ptr<ExternalCommand>> parse_spec(const std::string& option, const std::string& spec) {
  using R = Result<std::shared_ptr<ExternalCommand>>;
  const auto eq = spec.find('=');
  if (eq == std::string::npos)
    return R::failure(option + " \"" + spec + "\": expected NAME=COMMAND, e.g. mine=\"python3 my_tconv.py\"");
  auto cmd = std::make_shared<ExternalCommand>();
  cmd->name = spec.substr(0, eq);
  cmd->command = spec.substr(eq + 1);
  if (!is_backend_name(cmd->name))
    return R::failure(option + " \"" + spec + "\": the name must be letters, digits, '_' or '-'");
  if (cmd->command.find_first_not_of(" \t") == std::string::npos)
    return R::failure(option + " \"" + spec + "\": no command after '='");
  return cmd;
}

BackendFactory make_factory(std::shared_ptr<const ExternalCommand> shared, const std::string& description) {
  BackendFactory f;
  f.name = shared->name;
  f.description = description + shared->command;
  f.variants = [] { return std::vector<std::string>{"default"}; };
  f.create = [shared](const std::string& variant) -> Result<std::unique_ptr<Backend>> {
    if (variant != "default") return Status::Invalid(shared->name + " has only the variant 'default'");
    return std::unique_ptr<Backend>(std::make_unique<ExternalBackend>(shared));
  };
  return f;
}

}  // namespace

Result<BackendFactory> external_backend_factory(const std::string& spec) {
  using R = Result<BackendFactory>;
  auto cmd = parse_spec("--external", spec);
  if (!cmd) return R::failure(cmd.error());
  auto declared = ask_capabilities((*cmd)->command);
  if (!declared) return R::failure("--external " + (*cmd)->name + ": " + declared.error());
  (*cmd)->declared = *declared;
  return make_factory(*cmd, "external command: ");
}

Result<BackendFactory> external_server_factory(const std::string& spec, const ServerOptions& options) {
  using R = Result<BackendFactory>;
  auto parsed = parse_spec("--external-server", spec);
  if (!parsed) return R::failure(parsed.error());
  std::shared_ptr<ExternalCommand> cmd = *parsed;
  cmd->server = true;
  cmd->options = options;
  // Started now for its hello (the capabilities), and kept for the first instance.
  auto first = std::make_unique<ServerConnection>(cmd->name, cmd->command, options);
  auto declared = first->ensure_started();
  if (!declared) return R::failure("--external-server " + cmd->name + ": " + declared.error());
  cmd->declared = *declared;
  cmd->spare = std::move(first);
  return make_factory(cmd, "external server: ");
}

}  // namespace tconv
