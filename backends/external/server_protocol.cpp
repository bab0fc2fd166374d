#include "backends/external/server_protocol.h"

#include <nlohmann/json.hpp>

namespace tconv {

namespace {

using json = nlohmann::ordered_json;

json parse_object(const std::string& line) {
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  return j.is_object() ? j : json();  // null: not an object
}

}  // namespace

std::string clip_line(const std::string& line, std::size_t max) {
  std::string s = line.size() > max ? line.substr(0, max) + "..." : line;
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return s;
}

Result<ExternalDeclaration> parse_hello(const std::string& line) {
  using R = Result<ExternalDeclaration>;
  const json j = parse_object(line);
  if (j.is_null()) return R::failure("the hello line is not a JSON object: \"" + clip_line(line) + "\"");
  if (j.value("protocol", json()) != kServerProtocolName)
    return R::failure(std::string("the hello line has no \"protocol\": \"") + kServerProtocolName + "\": \"" +
                      clip_line(line) + "\"");
  const json version = j.value("version", json());
  if (!version.is_number_integer())
    return R::failure("the hello line has no integer \"version\": \"" + clip_line(line) + "\"");
  if (version.get<std::int64_t>() != kServerProtocolVersion)
    return R::failure("it speaks version " + version.dump() + " of the server protocol; this tconv speaks version " +
                      std::to_string(kServerProtocolVersion));
  if (!j.contains("capabilities")) return parse_capabilities("{}");
  if (!j["capabilities"].is_object()) return R::failure("the hello's \"capabilities\" is not a JSON object");
  auto declared = parse_capabilities(j["capabilities"].dump());
  if (!declared) return R::failure("the hello's capabilities: " + declared.error());
  return declared;
}

std::string request_line(std::uint64_t id, const std::string& workdir) {
  return json{{"id", id}, {"workdir", workdir}}.dump() + "\n";
}

std::string shutdown_line() { return json{{"shutdown", true}}.dump() + "\n"; }

Result<ServerReply> parse_reply(const std::string& line, std::uint64_t expected_id) {
  using R = Result<ServerReply>;
  const json j = parse_object(line);
  if (j.is_null()) return R::failure("a reply that is not a JSON object: \"" + clip_line(line) + "\"");
  if (!j.contains("ok") || !j["ok"].is_boolean())
    return R::failure("a reply without a boolean \"ok\": \"" + clip_line(line) + "\"");
  // An id that does not match means the server and tconv are out of step.
  if (j.contains("id") && (!j["id"].is_number_unsigned() || j["id"].get<std::uint64_t>() != expected_id))
    return R::failure("a reply with \"id\": " + j["id"].dump() + " to request " + std::to_string(expected_id));
  ServerReply r;
  r.ok = j["ok"].get<bool>();
  if (!r.ok) {
    if (const json why = j.value("unsupported", json()); why.is_string()) {
      r.unsupported = true;
      r.error = why.get<std::string>();
      return r;
    }
    const json e = j.value("error", json());
    r.error = e.is_string() ? e.get<std::string>() : e.is_null() ? "no reason given" : e.dump();
    return r;
  }
  auto report = parse_call_report(j.dump());
  if (!report) return R::failure("a reply with a bad field (" + report.error() + "): \"" + clip_line(line) + "\"");
  r.report = std::move(*report);
  return r;
}

}  // namespace tconv
