#include "conformance/test_backends/test_backends.h"

#include "conformance/test_backends/misbehaving.h"
#include "conformance/test_backends/mutants.h"
#include "conformance/test_backends/reporting.h"
#include "conformance/test_backends/rounding_models.h"
#include "conformance/test_backends/transform_models.h"

namespace tconv {

namespace {

BackendFactory factory(const std::string& name, const std::string& description,
                       std::unique_ptr<Backend> (*make)(const std::string&)) {
  return {name, "[test] " + description, [] { return std::vector<std::string>{"default"}; },
          [name, make](const std::string& variant) -> Result<std::unique_ptr<Backend>> {
            if (variant != "default") return Status::Invalid(name + " has only the variant 'default'");
            return make(name);
          }};
}

}  // namespace

void add_test_backends(Registry& r) {
  using testing::make_misbehaving;
  using testing::make_mutant;
  r.add(factory("mutant_crop", "off-by-one crop (output one row off)", make_mutant));
  r.add(factory("mutant_weight_layout", "reads IOHW weights as IHWO", make_mutant));
  r.add(factory("mutant_group", "missing group offset (every group reads group 0)", make_mutant));
  r.add(factory("mutant_last_row", "never writes the last output row", make_mutant));
  r.add(factory("mutant_corner", "one wrong element: the last output's bottom-right corner", make_mutant));
  r.add(factory("test_error", "returns an error status", make_misbehaving));
  r.add(factory("test_throw", "throws out of run()", make_misbehaving));
  r.add(factory("test_crash", "raise(SIGSEGV) in run()", make_misbehaving));
  r.add(factory("test_no_device", "a device backend on a machine without its device", make_misbehaving));
  r.add(factory("test_fpe", "raise(SIGFPE) in run()", make_misbehaving));
  r.add(factory("test_check_fpe", "raise(SIGFPE) in check()", make_misbehaving));
  r.add(factory("test_hang", "sleeps forever in run()", make_misbehaving));
  r.add(factory("test_slow", "the oracle after a 50 ms nap", make_misbehaving));
  r.add(factory("test_nondeterministic", "the oracle, one bit flipped on every second call, claiming determinism",
                make_misbehaving));
  r.add(factory("test_reports_details", "the oracle, reporting a nondeterministic algorithm and its workspace",
                testing::make_reporting));
  // Models of real implementations' rounding (issue 14): they must PASS.
  using testing::make_rounding_model;
  using testing::make_transform_model;
  r.add(factory("test_f16_separate_bias", "f16/bf16: pre-bias sum rounded to the output type, bias added after",
                make_rounding_model));
  r.add(factory("test_tc_truncate", "f16/bf16: f32 accumulation truncating like tensor cores", make_rounding_model));
  r.add(factory("test_split_k", "split-K: 4 partial sums each rounded (f32, or the f16/bf16 output type)",
                make_rounding_model));
  r.add(factory("test_winograd_f2x2_3x3", "f32 Winograd F(2x2,3x3), 3x3 stride 1", make_transform_model));
  r.add(factory("test_winograd_f4x4_3x3", "f32 Winograd F(4x4,3x3), 3x3 stride 1", make_transform_model));
  r.add(factory("test_fft", "f32 FFT convolution (radix-2, zero-padded planes)", make_transform_model));
}

Registry registry_with_test_backends() {
  Registry r = builtin_registry();
  add_test_backends(r);
  return r;
}

bool is_test_backend(const std::string& name) {
  Registry r;
  add_test_backends(r);
  return r.find(name) != nullptr;
}

}  // namespace tconv
