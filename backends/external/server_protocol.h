// The persistent mode's line protocol (PROTOCOL.md, "Persistent mode"): the hello line a
// server prints when it starts, the request and shutdown lines tconv writes, the reply line
// the server answers each request with. One JSON object per line; parsing only, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "backends/api/result.h"
#include "backends/external/protocol.h"

namespace tconv {

inline constexpr const char* kServerProtocolName = "tconv-server";
inline constexpr int kServerProtocolVersion = 1;

// {"protocol": "tconv-server", "version": 1, "capabilities": {...}}: the capabilities (the
// same object as `CMD --capabilities` prints), or why the line is not an acceptable hello.
Result<ExternalDeclaration> parse_hello(const std::string& line);

// {"id": 3, "workdir": "/tmp/tconv-external-abc"}, newline-terminated.
std::string request_line(std::uint64_t id, const std::string& workdir);

// {"shutdown": true}, newline-terminated.
std::string shutdown_line();

// A well-formed reply: ok with the server's own compute time, or the server's failure.
struct ServerReply {
  bool ok = false;
  bool unsupported = false;              // !ok: the problem is outside what it can run (not a failure)
  std::string error;                     // !ok: the server's words
  CallReport report;                      // ok: its measurement and details, if it gave them
};

// {"ok": true[, "device_time_ms": 0.5, "algorithm": ..., ...]} (protocol.h CallReport),
// {"ok": false, "error": "..."} or {"ok": false, "unsupported": "why"} (a refusal that its
// capabilities could not express: an UNSUPPORTED row, not a FAILED one), optionally with the
// request's "id". A failure here is a protocol violation (tconv restarts the server), unlike
// a well-formed {"ok": false} (the server stays up).
Result<ServerReply> parse_reply(const std::string& line, std::uint64_t expected_id);

// At most `max` characters of a line, for error messages.
std::string clip_line(const std::string& line, std::size_t max = 200);

}  // namespace tconv
