#include "conformance/test_backends/reporting.h"

#include "conformance/test_backends/oracle_based.h"

namespace tconv::testing {

namespace {

class Reporting final : public OracleBased {
 public:
  explicit Reporting(std::string name) : OracleBased(std::move(name)) {}
  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    details_ = {};
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    write(compute_reference(p, d, ops), *output(ops, d));
    details_ = {kReportedAlgorithm, kReportedWorkspaceBytes, false};
    return Status::Ok();
  }
  RunDetails last_run_details() const override { return details_; }
  std::optional<double> last_staging_time_ms() const override {
    return details_.algorithm.empty() ? std::nullopt : std::optional<double>(kReportedStagingMs);
  }

 private:
  RunDetails details_;
};

}  // namespace

std::unique_ptr<Backend> make_reporting(const std::string& name) { return std::make_unique<Reporting>(name); }

}  // namespace tconv::testing
