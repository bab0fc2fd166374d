#include "conformance/runner/worker_messages.h"

#include <cstring>

#include "conformance/fill.h"
#include "conformance/runner/wire.h"

namespace tconv {

namespace {

constexpr std::uint64_t kRequestMagic = 0x5145524e56434354ull;   // "TCCVNREQ"
constexpr std::uint64_t kResponseMagic = 0x5345524e56434354ull;  // "TCCVNRES"

}  // namespace

void encode_request(const WorkerRequest& r, const Operands& inputs, WireMessage* out) {
  WireWriter w(out);
  w.u64(kRequestMagic);
  w.u64(static_cast<std::uint64_t>(r.kind));
  w.str(to_repro(r.problem));
  w.u64(r.checks.size());
  for (const CheckItem& c : r.checks) {
    w.str(c.spec);
    w.u64(static_cast<std::uint64_t>(c.direction));
  }
  w.str(r.spec);
  w.u64(static_cast<std::uint64_t>(r.direction));
  w.u64(static_cast<std::uint64_t>(r.ctx.threads));
  w.u64(r.ctx.workspace_limit);
  w.u64(r.perf.enabled);
  w.f64(r.perf.min_time_s);
  w.u64(static_cast<std::uint64_t>(r.perf.repeats));
  w.u64(r.perf.flush_cache);
  w.u64(static_cast<std::uint64_t>(r.perf.warmup));
  w.u64(static_cast<std::uint64_t>(r.perf.max_repeats));
  // Only what the direction reads (fwd: x, w, b; bwd_data: dy, w; bwd_weights: x, dy;
  // bwd_bias: dy): every other byte would be copied twice and paged in for nothing.
  const Direction d = r.direction;
  const bool run = r.kind == WorkerRequestKind::run;
  const bool needed[4] = {d == Direction::fwd || d == Direction::bwd_weights,
                          d == Direction::fwd || d == Direction::bwd_data, d == Direction::fwd,
                          d != Direction::fwd};
  const HostTensor* tensors[4] = {inputs.x, inputs.w, inputs.b, inputs.dy};
  for (int i = 0; i < 4; ++i) {
    const HostTensor* t = tensors[i];
    const bool present = run && needed[i] && t != nullptr;
    w.u64(present);
    if (present) w.raw(t->data(), t->bytes());
    else w.raw(nullptr, 0);
  }
}

std::string decode_request(std::string_view bytes, DecodedRequest* out) {
  WireReader rd(bytes);
  if (rd.u64() != kRequestMagic) return "not a request";
  WorkerRequest& r = out->request;
  r.kind = static_cast<WorkerRequestKind>(rd.u64());
  auto problem = parse_problem(rd.str());
  const std::uint64_t checks = rd.u64();
  for (std::uint64_t i = 0; i < checks && rd.ok(); ++i) {
    CheckItem c;
    c.spec = rd.str();
    c.direction = static_cast<Direction>(rd.u64());
    r.checks.push_back(std::move(c));
  }
  r.spec = rd.str();
  r.direction = static_cast<Direction>(rd.u64());
  r.ctx.threads = static_cast<int>(rd.u64());
  r.ctx.workspace_limit = rd.u64();
  r.perf.enabled = rd.u64() != 0;
  r.perf.min_time_s = rd.f64();
  r.perf.repeats = static_cast<int>(rd.u64());
  r.perf.flush_cache = rd.u64() != 0;
  r.perf.warmup = static_cast<int>(rd.u64());
  r.perf.max_repeats = static_cast<int>(rd.u64());
  bool present[4];
  std::string_view data[4];
  for (int i = 0; i < 4; ++i) {
    present[i] = rd.u64() != 0;
    data[i] = rd.block();
  }
  if (!rd.ok() || !problem) return "a malformed request";
  if (r.kind != WorkerRequestKind::check && r.kind != WorkerRequestKind::run) return "an unknown request kind";
  r.problem = *problem;
  const Problem& p = r.problem;
  HostTensor* t = out->storage;
  // Only the inputs sent: every other tensor would be allocated and zeroed for nothing.
  if (present[0]) t[0] = HostTensor(p.dtype, p.layout, p.x_dims());
  if (present[1]) t[1] = HostTensor(p.dtype, p.weight_layout, p.w_dims(), p.groups);
  if (present[2] && p.bias) t[2] = HostTensor(bias_dtype(p), Layout::X, p.b_dims());
  if (present[3]) t[3] = HostTensor(p.dtype, p.layout, p.y_dims());
  const HostTensor* in[4] = {nullptr, nullptr, nullptr, nullptr};
  for (int i = 0; i < 4; ++i) {
    if (!present[i]) continue;
    if (data[i].size() != t[i].bytes()) return "an input of the wrong size";
    std::memcpy(t[i].data(), data[i].data(), data[i].size());
    in[i] = &t[i];
  }
  out->inputs = Operands{in[0], in[1], in[2], in[3]};
  return "";
}

void encode_response(const WorkerResponse& r, const HostTensor* output, WireMessage* out) {
  WireWriter w(out);
  w.u64(kResponseMagic);
  w.str(r.setup_error);
  w.u64(r.answers.size());
  for (const CheckAnswer& a : r.answers) {
    w.str(a.error);
    w.u64(a.support.ok());
    w.str(a.support.message);
  }
  w.u64(static_cast<std::uint64_t>(r.call.status.code));
  w.str(r.call.status.message);
  w.u64(r.call.timing.has_value());
  const Timing t = r.call.timing.value_or(Timing{});
  w.f64(t.median_ms);
  w.f64(t.min_ms);
  w.f64(t.max_ms);
  w.u64(static_cast<std::uint64_t>(t.repeats));
  w.u64(t.device_time);
  w.u64(t.staging_ms.has_value());
  w.f64(t.staging_ms.value_or(0));
  const RunDetails& details = r.call.details;
  w.str(details.algorithm);
  w.u64(details.workspace_bytes.has_value());
  w.u64(static_cast<std::uint64_t>(details.workspace_bytes.value_or(0)));
  w.u64(details.deterministic ? (*details.deterministic ? 2 : 1) : 0);
  if (output) w.raw(output->data(), output->bytes());
  else w.raw(nullptr, 0);
}

std::string decode_response(std::string_view bytes, WorkerResponse* r, HostTensor* output) {
  WireReader rd(bytes);
  if (rd.u64() != kResponseMagic) return "not a response";
  r->setup_error = rd.str();
  const std::uint64_t answers = rd.u64();
  for (std::uint64_t i = 0; i < answers && rd.ok(); ++i) {
    CheckAnswer a;
    a.error = rd.str();
    const bool supported = rd.u64() != 0;
    std::string reason = rd.str();
    a.support = supported ? Status::Ok() : Status::Unsupported(std::move(reason));
    r->answers.push_back(std::move(a));
  }
  const auto code = static_cast<StatusCode>(rd.u64());
  std::string message = rd.str();
  const bool has_timing = rd.u64() != 0;
  Timing t;
  t.median_ms = rd.f64();
  t.min_ms = rd.f64();
  t.max_ms = rd.f64();
  t.repeats = static_cast<int>(rd.u64());
  t.device_time = rd.u64() != 0;
  const bool has_staging = rd.u64() != 0;
  const double staging_ms = rd.f64();
  if (has_staging) t.staging_ms = staging_ms;
  RunDetails details;
  details.algorithm = rd.str();
  const bool has_workspace = rd.u64() != 0;
  const auto workspace = static_cast<std::int64_t>(rd.u64());
  if (has_workspace) details.workspace_bytes = workspace;
  if (const std::uint64_t det = rd.u64(); det != 0) details.deterministic = det == 2;
  const std::string_view data = rd.block();
  if (!rd.ok()) return "a truncated response";
  r->call.status = Status{code, std::move(message)};
  if (has_timing) r->call.timing = t;
  r->call.details = std::move(details);
  if (r->setup_error.empty() && r->call.status.ok() && output != nullptr) {
    if (data.size() != output->bytes())
      return "an output of " + std::to_string(data.size()) + " bytes, expected " + std::to_string(output->bytes());
    std::memcpy(output->data(), data.data(), data.size());
  }
  return "";
}

}  // namespace tconv
