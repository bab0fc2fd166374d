// The abstract conformance suite, instantiated for this backend: every problem of
// backends/testing/backend_conformance.h in every direction, against the oracle. Problems the
// backend's check() declines are skipped with its reason.
#include "backends/template/template_backend.h"
#include "backends/testing/backend_conformance.h"

TCONV_BACKEND_CONFORMANCE(Template, tconv::template_backend_factory());

namespace tconv {
namespace {

TEST(TemplateBackend, DeclinesWithAReasonWhatItDoesNotSupport) {
  const auto backend = template_backend_factory().create("default").value_or(nullptr);
  Problem p;
  p.layout = Layout::NHWC;
  EXPECT_FALSE(backend->check(p, Direction::fwd).ok());
  EXPECT_NE(backend->check(p, Direction::fwd).message, "");
  p.layout = Layout::NCHW;
  p.kh = p.kw = 65;
  EXPECT_NE(backend->check(p, Direction::fwd).message.find("taps"), std::string::npos);
}

}  // namespace
}  // namespace tconv
