#include "conformance/runner/user_backends.h"

#include "backends/external/external_backend.h"
#include "backends/plugin/plugin_loader.h"

namespace tconv {

namespace {

std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=,+") ==
                        std::string::npos)
    return s;
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string add_one(Registry& registry, Result<BackendFactory> f) {
  if (!f) return f.error();
  if (registry.find(f->name))
    return "a backend named '" + f->name + "' already exists: give the plugin or command another name";
  registry.add(std::move(f).value());
  return "";
}

}  // namespace

std::vector<std::string> UserBackends::as_args() const {
  std::vector<std::string> args;
  for (const std::string& p : plugins) args.insert(args.end(), {"--plugin", p});
  for (const std::string& e : externals) args.insert(args.end(), {"--external", e});
  for (const std::string& e : servers) args.insert(args.end(), {"--external-server", e});
  return args;
}

std::string UserBackends::as_flags() const {
  std::string s;
  for (const std::string& a : as_args()) s += (s.empty() ? "" : " ") + shell_quote(a);
  return s;
}

std::string add_user_backends(Registry& registry, const UserBackends& user) {
  for (const std::string& path : user.plugins)
    if (std::string err = add_one(registry, load_plugin(path)); !err.empty()) return err;
  for (const std::string& spec : user.externals)
    if (std::string err = add_one(registry, external_backend_factory(spec)); !err.empty()) return err;
  ServerOptions server;
  server.timeout_s = user.in_isolated_worker ? 0 : user.server_timeout_s;
  server.own_process_group = !user.in_isolated_worker;
  for (const std::string& spec : user.servers)
    if (std::string err = add_one(registry, external_server_factory(spec, server)); !err.empty()) return err;
  return "";
}

UserBackends parse_user_backend_args(const std::vector<std::string>& args) {
  UserBackends u;
  u.in_isolated_worker = true;
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--plugin") u.plugins.push_back(args[++i]);
    else if (args[i] == "--external") u.externals.push_back(args[++i]);
    else if (args[i] == "--external-server") u.servers.push_back(args[++i]);
  }
  return u;
}

}  // namespace tconv
