#include "conformance/testing/misbehaving.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "conformance/testing/oracle_based.h"

namespace tconv::testing {

namespace {

class Misbehaving final : public OracleBased {
 public:
  explicit Misbehaving(std::string name) : OracleBased(std::move(name)) {}
  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    const std::string n = name();
    if (n == "test_error") return Status::Error(StatusCode::error, "planted failure (test_error)");
    if (n == "test_throw") throw std::runtime_error("planted exception (test_throw)");
    if (n == "test_crash") {
      ::raise(SIGSEGV);
      return Status::Error(StatusCode::error, "raise(SIGSEGV) returned");
    }
    if (n == "test_hang")
      while (true) ::sleep(1000);
    if (n == "test_slow") std::this_thread::sleep_for(std::chrono::milliseconds(50));
    write(compute_reference(p, d, ops), *output(ops, d));
    return Status::Ok();
  }
};

}  // namespace

const std::vector<std::string>& misbehaving_names() {
  static const std::vector<std::string> names = {"test_error", "test_throw", "test_crash", "test_hang", "test_slow"};
  return names;
}

std::unique_ptr<Backend> make_misbehaving(const std::string& name) {
  for (const auto& n : misbehaving_names())
    if (n == name) return std::make_unique<Misbehaving>(name);
  return nullptr;
}

}  // namespace tconv::testing
