#include "backends/external/server_connection.h"

#include <unistd.h>

#include <cstdio>

#include "backends/external/server_protocol.h"
#include "backends/external/subprocess.h"
#include "backends/external/work_dir.h"

namespace tconv {

namespace {

// How long a server may take to exit after its stdin closes (shutdown, or after it closed its
// stdout) before it is killed.
constexpr double kExitGraceS = 5;

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", s);
  return buf;
}

}  // namespace

ServerConnection::ServerConnection(std::string name, std::string command, ServerOptions options)
    : name_(std::move(name)), command_(std::move(command)), options_(options) {}

ServerConnection::~ServerConnection() {
  if (process_) {
    process_->write_line(shutdown_line());  // a dead server's error changes nothing here
    process_->stop(kExitGraceS);
  }
  process_.reset();
  if (!dir_.empty() && !WorkDir::keep()) {
    std::remove((dir_ + "/stderr.txt").c_str());
    ::rmdir(dir_.c_str());
  }
}

std::string ServerConnection::stderr_tail() const {
  const std::string said = dir_.empty() ? "" : tail_of_file(dir_ + "/stderr.txt", 3);
  return said.empty() ? "" : "; stderr: " + said;
}

Result<ExternalDeclaration> ServerConnection::ensure_started() {
  using R = Result<ExternalDeclaration>;
  if (process_ && hello_) return *hello_;
  const std::string who = "server `" + command_ + "`";
  if (dir_.empty()) {
    WorkDir made("tconv-server");
    if (made.path().empty()) return R::failure(who + ": cannot create a temporary directory");
    dir_ = made.path();
    made.release();
  }
  auto started = ServerProcess::start(command_, dir_ + "/stderr.txt", options_.own_process_group);
  if (!started) return R::failure(who + ": " + started.error());
  process_ = std::move(started).value();
  std::string line;
  const ServerProcess::Read got = process_->read_line(options_.timeout_s, &line);
  std::string why;
  if (got == ServerProcess::Read::line) {
    auto hello = parse_hello(line);
    if (hello) {
      hello_ = *hello;
      return hello;
    }
    why = hello.error();
  } else if (got == ServerProcess::Read::end_of_file) {
    why = "it printed no hello line (" + process_->stop(kExitGraceS).describe() + ")";
  } else if (got == ServerProcess::Read::timed_out) {
    why = "it printed no hello line within " + seconds(options_.timeout_s) + " (--timeout)";
  } else {
    why = "reading its hello line: " + line;
  }
  process_->stop(0);
  const std::string tail = stderr_tail();
  process_.reset();
  hello_.reset();
  return R::failure(who + ": " + why + tail);
}

Status ServerConnection::fail_and_restart(const std::string& what, double grace_s) {
  const long pid = this->pid();
  const ProcessEnd end = process_->stop(grace_s);
  const std::string how = grace_s > 0 ? end.describe() : "stopped by tconv";
  const std::string message = name_ + ": server `" + command_ + "` (pid " + std::to_string(pid) + ") " + what + " (" +
                              how + ")" + stderr_tail() + "; a fresh one is started for the next problem";
  process_.reset();
  hello_.reset();
  return Status::Error(StatusCode::error, message);
}

Status ServerConnection::call(const std::string& workdir, CallReport* report) {
  *report = {};
  if (auto hello = ensure_started(); !hello) return Status::Error(StatusCode::error, name_ + ": " + hello.error());
  const std::uint64_t id = next_id_++;
  const std::string request = "request " + std::to_string(id);
  if (Status s = process_->write_line(request_line(id, workdir)); !s.ok())
    return fail_and_restart("could not be sent " + request + ": " + s.message, kExitGraceS);
  std::string line;
  switch (process_->read_line(options_.timeout_s, &line)) {
    case ServerProcess::Read::end_of_file: return fail_and_restart("died during " + request, kExitGraceS);
    case ServerProcess::Read::timed_out:
      return fail_and_restart("gave no reply to " + request + " within " + seconds(options_.timeout_s) + " (--timeout)", 0);
    case ServerProcess::Read::error: return fail_and_restart("reading the reply to " + request + ": " + line, 0);
    case ServerProcess::Read::line: break;
  }
  auto reply = parse_reply(line, id);
  if (!reply) return fail_and_restart("broke the protocol on " + request + ": " + reply.error(), 0);
  if (!reply->ok && reply->unsupported) return Status::Unsupported(name_ + ": " + reply->error);
  if (!reply->ok) return Status::Error(StatusCode::error, name_ + ": the server failed " + request + ": " + reply->error);
  *report = reply->report;
  return Status::Ok();
}

}  // namespace tconv
