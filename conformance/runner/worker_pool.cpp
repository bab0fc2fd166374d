#include "conformance/runner/worker_pool.h"

#include <map>

#include "conformance/runner/worker_messages.h"

namespace tconv {

SupervisedWorker& WorkerPool::worker(const std::string& name) {
  auto& w = workers_[name];
  if (!w) w = std::make_unique<SupervisedWorker>(command_);
  return *w;
}

namespace {

std::string backend_name(const std::string& spec) { return spec.substr(0, spec.find(':')); }

}  // namespace

SupervisedCheck WorkerPool::check(const std::string& spec, const Problem& p, Direction d) {
  return check(backend_name(spec), p, {CheckItem{spec, d}}).front();
}

std::vector<SupervisedCheck> WorkerPool::check(const std::string& name, const Problem& p,
                                               const std::vector<CheckItem>& items) {
  SupervisedCheck all;
  WorkerRequest request;
  request.kind = WorkerRequestKind::check;
  request.problem = p;
  request.checks = items;
  SupervisedWorker& w = worker(name);
  encode_request(request, Operands{}, &request_);
  Exchange x = w.exchange(request_, timeout_s_);
  all.end = x.end;
  all.message = std::move(x.message);
  WorkerResponse response;
  if (x.end == WorkerEnd::completed) {
    std::string why = decode_response(x.reply, &response, nullptr);
    if (why.empty() && response.answers.size() != items.size())
      why = std::to_string(response.answers.size()) + " answers to " + std::to_string(items.size()) + " checks";
    if (!why.empty()) {
      all.end = WorkerEnd::crashed;
      all.message = w.discard("replied with " + why);
    } else if (!response.setup_error.empty()) {
      all.error = response.setup_error;
    }
  }
  std::vector<SupervisedCheck> out(items.size(), all);
  if (all.end != WorkerEnd::completed || !all.error.empty()) return out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    out[i].error = std::move(response.answers[i].error);
    out[i].support = std::move(response.answers[i].support);
  }
  return out;
}

SupervisedCall WorkerPool::run(const std::string& spec, const Problem& p, Direction d, const Operands& ops,
                               const RunContext& ctx, const PerfOptions& perf, const std::function<void()>& meanwhile) {
  const std::string name = backend_name(spec);
  SupervisedCall out;
  HostTensor* output = output_of(ops, d);
  if (output == nullptr) {
    out.call.status = Status::Error(StatusCode::error, "no output tensor for the direction");
    return out;
  }
  if (const auto known = no_device_.find(name); known != no_device_.end()) {
    out.call.status = known->second;
    return out;
  }
  WorkerRequest request;
  request.kind = WorkerRequestKind::run;
  request.spec = spec;
  request.problem = p;
  request.direction = d;
  request.ctx = ctx;
  request.perf = perf;
  SupervisedWorker& w = worker(name);
  encode_request(request, ops, &request_);
  Exchange x = w.exchange(request_, timeout_s_, meanwhile);
  out.end = x.end;
  out.message = std::move(x.message);
  if (x.end != WorkerEnd::completed) return out;
  WorkerResponse response;
  if (std::string why = decode_response(x.reply, &response, output); !why.empty()) {
    out.end = WorkerEnd::crashed;
    out.message = w.discard("replied with " + why);
    return out;
  }
  out.call = std::move(response.call);
  if (out.call.status.code == StatusCode::no_device) no_device_.emplace(name, out.call.status);
  if (!response.setup_error.empty())
    out.call.status = Status::Error(StatusCode::error, "isolated worker: " + response.setup_error);
  return out;
}

std::map<std::string, int> WorkerPool::starts() const {
  std::map<std::string, int> m;
  for (const auto& [name, w] : workers_) m[name] = w->starts();
  return m;
}

std::map<std::string, int> WorkerPool::restarts() const {
  std::map<std::string, int> m;
  for (const auto& [name, w] : workers_) m[name] = w->restarts();
  return m;
}

}  // namespace tconv
