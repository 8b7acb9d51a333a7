#include "gateway/runtime.hpp"

#include "conf/loader.hpp"
#include "directory/file_loader.hpp"
#include "gateway/login/oidc_service.hpp"
#include "gateway/login/saml_service.hpp"

namespace varco::gateway {

std::shared_ptr<const runtime> build_runtime(const std::string& path, std::uint64_t generation,
                                             runtime_errors& errors,
                                             std::uint64_t config_generation,
                                             const runtime* previous) {
  auto loaded = conf::load_config(path);
  for (const auto& error : loaded.errors) errors.lines.push_back(error.to_string());
  if (!loaded.value) return nullptr;
  const conf::config& config = *loaded.value;

  // A writable directory may have no file: it was imported (`varco directory import`) and lives
  // in the store; until the store answers, the gateway starts with an empty one.
  directory::load_result directory;
  if (config.directory.file.empty() && config.directory.writable()) {
    directory.directory = std::make_shared<const directory::snapshot>();
  } else {
    directory = directory::load_directory_file(config.directory.file, generation);
  }
  for (const auto& error : directory.errors) errors.lines.push_back(error.to_string());

  std::vector<std::string> route_problems;
  auto routes = route_table::compile(config, route_problems);
  for (const auto& problem : route_problems)
    errors.lines.push_back(config.source_file + ":0: " + problem);

  auto signer = policies::jwt_signer::from_pem_file(config.jwt.key_file, config.jwt.kid,
                                                    config.jwt.previous_public_keys);
  if (!signer)
    errors.lines.push_back(config.source_file + ":0: jwt.key_file " + config.jwt.key_file + ": " +
                           signer.error().message());
  std::shared_ptr<const saml_service> saml;
  if (config.saml.enabled) {
    std::vector<std::string> saml_problems;
    saml = build_saml_service(loaded.value->saml, saml_problems,
                              previous != nullptr ? previous->saml.get() : nullptr);
    for (const auto& problem : saml_problems)
      errors.lines.push_back(config.source_file + ":0: " + problem);
  }
  std::shared_ptr<const oidc_service> oidc;
  if (config.oidc.enabled) {
    std::vector<std::string> oidc_problems;
    oidc = build_oidc_service(loaded.value->oidc, oidc_problems);
    for (const auto& problem : oidc_problems)
      errors.lines.push_back(config.source_file + ":0: " + problem);
  }
  if (!errors.lines.empty()) return nullptr;

  std::string jwks = signer->jwks_json();
  return std::make_shared<const runtime>(runtime{
      loaded.value, std::move(routes), std::move(directory.directory), 0,
      std::make_shared<const policies::jwt_signer>(std::move(*signer)), std::move(jwks),
      config.sessions.cookie_name(), gateway_cookies(config.sessions), generation,
      config_generation == 0 ? generation : config_generation, std::move(saml), std::move(oidc)});
}

}  // namespace varco::gateway
