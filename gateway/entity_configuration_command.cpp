#include "gateway/entity_configuration_command.hpp"

#include "conf/loader.hpp"
#include "gateway/login/oidc_service.hpp"
#include "jose/compact.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <string>

namespace varco::gateway {

int run_entity_configuration_command(std::span<const std::string_view> args, std::ostream& out,
                                     std::ostream& err) {
  std::string config_file;
  bool decoded = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      out << "usage:\n" << entity_configuration_usage;
      return 0;
    }
    if (args[i] == "--decoded") {
      decoded = true;
      continue;
    }
    if ((args[i] != "--config" && args[i] != "-c") || i + 1 >= args.size()) {
      err << "varco entity-configuration: unknown option or missing value: " << args[i]
          << "\nusage:\n"
          << entity_configuration_usage;
      return 2;
    }
    config_file = std::string(args[++i]);
  }
  if (config_file.empty()) {
    err << "varco entity-configuration: --config FILE is required\nusage:\n"
        << entity_configuration_usage;
    return 2;
  }
  const conf::load_outcome loaded = conf::load_config(config_file);
  if (!loaded.value) {
    for (const auto& e : loaded.errors) err << e.to_string() << '\n';
    return 1;
  }
  const auto& oidc = loaded.value->oidc;
  if (!oidc.enabled || !oidc.federation.enabled) {
    err << "varco entity-configuration: " << config_file << " has no oidc.federation section\n";
    return 1;
  }
  std::vector<std::string> problems;
  auto service = build_oidc_service(oidc, problems);
  if (!service) {
    for (const auto& p : problems) err << "varco entity-configuration: " << p << '\n';
    return 1;
  }
  const std::string statement = service->entity_configuration(std::chrono::system_clock::now());
  if (statement.empty()) {
    err << "varco entity-configuration: the federation key cannot sign\n";
    return 1;
  }
  if (!decoded) {
    out << statement << '\n';
    return out.good() ? 0 : 1;
  }
  auto parts = jose::split_jws(statement, jose::limits{});
  if (!parts) return 1;
  const auto header_end = parts->signing_input.find('.');
  auto header = jose::decode_base64url(parts->signing_input.substr(0, header_end));
  if (!header) return 1;
  out << *header << '\n' << parts->payload << '\n';
  return out.good() ? 0 : 1;
}

}  // namespace varco::gateway
