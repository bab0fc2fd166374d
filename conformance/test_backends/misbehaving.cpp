#include "conformance/test_backends/misbehaving.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "conformance/test_backends/oracle_based.h"

namespace tconv::testing {

namespace {

class Misbehaving final : public OracleBased {
 public:
  explicit Misbehaving(std::string name) : OracleBased(std::move(name)) {}
  // The ones that take the process down are marked as a vendor library would be, so the
  // default --isolate=device runs them in a supervised worker.
  Capabilities capabilities() const override {
    Capabilities c = OracleBased::capabilities();
    const std::string n = name();
    c.supervised = n == "test_crash" || n == "test_hang" || n == "test_fpe" || n == "test_check_fpe";
    c.on_device = n == "test_no_device";
    return c;
  }
  Status check(const Problem& p, Direction d) const override {
    if (name() == "test_check_fpe") ::raise(SIGFPE);  // as a vendor library planning the call
    return OracleBased::check(p, d);
  }
  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    const std::string n = name();
    if (n == "test_error") return Status::Error(StatusCode::error, "planted failure (test_error)");
    if (n == "test_no_device") return Status::Error(StatusCode::no_device, "no GPU (test_no_device)");
    if (n == "test_throw") throw std::runtime_error("planted exception (test_throw)");
    if (n == "test_crash") {
      ::raise(SIGSEGV);
      return Status::Error(StatusCode::error, "raise(SIGSEGV) returned");
    }
    if (n == "test_fpe") {  // as cuDNN's engine heuristics did on a grouped problem
      ::raise(SIGFPE);
      return Status::Error(StatusCode::error, "raise(SIGFPE) returned");
    }
    if (n == "test_hang")
      while (true) ::sleep(1000);
    if (n == "test_slow") std::this_thread::sleep_for(std::chrono::milliseconds(50));
    HostTensor& out = *output(ops, d);
    write(compute_reference(p, d, ops), out);
    // Claims determinism (the default capability) but flips the last bit of the first
    // element on every second call, as an atomics-based reduction can.
    if (n == "test_nondeterministic" && (calls_++ % 2 == 1) && out.bytes() > 0)
      static_cast<unsigned char*>(out.data())[0] ^= 1;
    return Status::Ok();
  }

 private:
  long calls_ = 0;
};

}  // namespace

const std::vector<std::string>& misbehaving_names() {
  static const std::vector<std::string> names = {"test_error", "test_throw", "test_no_device", "test_crash", "test_fpe", "test_check_fpe",
                                                   "test_hang", "test_slow", "test_nondeterministic"};
  return names;
}

std::unique_ptr<Backend> make_misbehaving(const std::string& name) {
  for (const auto& n : misbehaving_names())
    if (n == name) return std::make_unique<Misbehaving>(name);
  return nullptr;
}

}  // namespace tconv::testing
