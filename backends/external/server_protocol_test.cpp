// The persistent mode's lines: a hello is accepted only with the protocol's name and version
// and well-formed capabilities; a reply is either well-formed (ok, or the server's own
// failure) or a protocol violation with a reason that quotes it.
#include "backends/external/server_protocol.h"

#include <gtest/gtest.h>

namespace tconv {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(ServerProtocol, HelloCarriesTheCapabilities) {
  auto h = parse_hello(R"({"protocol": "tconv-server", "version": 1, "capabilities": {"dtypes": ["f64"], "groups": false}})");
  ASSERT_TRUE(h) << h.error();
  EXPECT_EQ(h->capabilities.dtypes, (std::vector<DType>{DType::f64}));
  EXPECT_FALSE(h->capabilities.groups);
  // No capabilities: the same defaults as an empty `--capabilities` object.
  auto d = parse_hello(R"({"protocol": "tconv-server", "version": 1})");
  ASSERT_TRUE(d) << d.error();
  EXPECT_EQ(d->capabilities.layouts, (std::vector<Layout>{Layout::NCHW}));
}

TEST(ServerProtocol, BadHelloSaysWhy) {
  EXPECT_TRUE(has(parse_hello("loading bitstream...").error(), "not a JSON object: \"loading bitstream...\""));
  EXPECT_TRUE(has(parse_hello("[1]").error(), "not a JSON object"));
  EXPECT_TRUE(has(parse_hello(R"({"dtypes": ["f32"]})").error(), "no \"protocol\": \"tconv-server\""));
  EXPECT_TRUE(has(parse_hello(R"({"protocol": "tconv-server"})").error(), "no integer \"version\""));
  EXPECT_TRUE(has(parse_hello(R"({"protocol": "tconv-server", "version": 1, "capabilities": [1]})").error(),
                  "\"capabilities\" is not a JSON object"));
  EXPECT_TRUE(has(parse_hello(R"({"protocol": "tconv-server", "version": 1, "capabilities": {"dtypes": ["f33"]}})").error(),
                  "unknown value \"f33\""));
}

TEST(ServerProtocol, VersionMismatchNamesBothVersions) {
  const std::string e = parse_hello(R"({"protocol": "tconv-server", "version": 2, "capabilities": {}})").error();
  EXPECT_TRUE(has(e, "speaks version 2 of the server protocol; this tconv speaks version 1")) << e;
}

TEST(ServerProtocol, RequestAndShutdownAreSingleJsonLines) {
  const std::string r = request_line(7, "/tmp/tconv-external-a\"b");
  EXPECT_EQ(r, "{\"id\":7,\"workdir\":\"/tmp/tconv-external-a\\\"b\"}\n");  // the path JSON-escaped
  EXPECT_EQ(shutdown_line(), "{\"shutdown\":true}\n");
}

TEST(ServerProtocol, WellFormedReplies) {
  auto ok = parse_reply(R"({"id": 3, "ok": true, "device_time_ms": 0.25, "staging_time_ms": 0.5})", 3);
  ASSERT_TRUE(ok) << ok.error();
  EXPECT_TRUE(ok->ok);
  EXPECT_EQ(ok->report.device_time_ms, 0.25);
  EXPECT_EQ(ok->report.staging_time_ms, 0.5);
  auto bare = parse_reply(R"({"ok": true})", 3);  // the id is optional
  ASSERT_TRUE(bare);
  EXPECT_FALSE(bare->report.device_time_ms.has_value());
  EXPECT_FALSE(bare->report.staging_time_ms.has_value());
  EXPECT_FALSE(bare->report.details.deterministic.has_value());
  auto detailed =
      parse_reply(R"({"ok": true, "algorithm": "bitstream v3", "workspace_bytes": 4096, "deterministic": false})", 1);
  ASSERT_TRUE(detailed) << detailed.error();
  EXPECT_EQ(detailed->report.details.algorithm, "bitstream v3");
  EXPECT_EQ(detailed->report.details.workspace_bytes, 4096);
  EXPECT_EQ(detailed->report.details.deterministic, false);
  auto failed = parse_reply(R"({"ok": false, "error": "timing closure failed"})", 3);
  ASSERT_TRUE(failed);
  EXPECT_FALSE(failed->ok);
  EXPECT_EQ(failed->error, "timing closure failed");
  EXPECT_EQ(parse_reply(R"({"ok": false})", 1)->error, "no reason given");
  EXPECT_FALSE(failed->unsupported);
  auto refused = parse_reply(R"({"ok": false, "unsupported": "output_padding 3 >= stride 2"})", 1);
  ASSERT_TRUE(refused) << refused.error();
  EXPECT_FALSE(refused->ok);
  EXPECT_TRUE(refused->unsupported);
  EXPECT_EQ(refused->error, "output_padding 3 >= stride 2");
  // Only a text says why: anything else is an ordinary failure.
  EXPECT_FALSE(parse_reply(R"({"ok": false, "unsupported": true, "error": "x"})", 1)->unsupported);
}

TEST(ServerProtocol, BadRepliesAreProtocolErrors) {
  EXPECT_TRUE(has(parse_reply("Traceback (most recent call last):", 1).error(),
                  "not a JSON object: \"Traceback (most recent call last):\""));
  EXPECT_TRUE(has(parse_reply("", 1).error(), "not a JSON object"));
  EXPECT_TRUE(has(parse_reply(R"({"device_time_ms": 1})", 1).error(), "without a boolean \"ok\""));
  EXPECT_TRUE(has(parse_reply(R"({"ok": "yes"})", 1).error(), "without a boolean \"ok\""));
  EXPECT_TRUE(has(parse_reply(R"({"id": 2, "ok": true})", 3).error(), "\"id\": 2 to request 3"));
  EXPECT_TRUE(has(parse_reply(R"({"ok": true, "device_time_ms": -1})", 1).error(), "non-negative number"));
  EXPECT_TRUE(has(parse_reply(R"({"ok": true, "staging_time_ms": "0.5"})", 1).error(), "\"staging_time_ms\" must be"));
  EXPECT_TRUE(has(parse_reply(R"({"ok": true, "workspace_bytes": -4})", 1).error(), "\"workspace_bytes\" must be"));
  EXPECT_TRUE(has(parse_reply(R"({"ok": true, "deterministic": "yes"})", 1).error(), "\"deterministic\" must be"));
  EXPECT_TRUE(has(parse_reply(R"({"ok": true, "algorithm": 3})", 1).error(), "\"algorithm\" must be"));
  EXPECT_TRUE(has(parse_reply(std::string(500, 'x'), 1).error(), std::string(200, 'x') + "...\""));
}

}  // namespace
}  // namespace tconv
