#include "gateway/login/saml_service.hpp"

#include "gateway/login/idp_url_refresh.hpp"
#include "saml/sp_metadata.hpp"

#include <spdlog/spdlog.h>

namespace varco::gateway {

std::shared_ptr<const saml_service> build_saml_service(const conf::saml& config,
                                                       std::vector<std::string>& errors,
                                                       const saml_service* previous) {
  auto service = std::make_shared<saml_service>();
  service->config = &config;
  auto profile = saml::load_sp_profile(config);
  if (!profile) {
    errors.push_back("saml: " + profile.error().detail);
    return nullptr;
  }
  service->profile = std::move(*profile);
  auto spid = saml::build_sp_metadata(service->profile, saml::provider_kind::spid);
  if (!spid) {
    errors.push_back("saml: SP metadata: " + spid.error().detail);
    return nullptr;
  }
  service->spid_metadata = std::move(*spid);
  if (config.cie.configured) {
    auto cie = saml::build_sp_metadata(service->profile, saml::provider_kind::cie);
    if (!cie) {
      errors.push_back("saml: CIE SP metadata: " + cie.error().detail);
      return nullptr;
    }
    service->cie_metadata = std::move(*cie);
  }
  service->idps = saml::idp_registry::create(config);
  if (service->idps->source_count() == 0) {
    errors.emplace_back("saml: IdP metadata: no IdP metadata source is configured");
    return nullptr;
  }
  const std::size_t before = errors.size();
  auto problems = load_idp_sources(*service->idps, config, previous, service->url_sources, errors);
  if (errors.size() != before) return nullptr;
  if (service->idps->current()->size() == 0) {
    std::string detail = "saml: IdP metadata: no IdP could be loaded";
    for (const auto& problem : problems) detail += "; " + problem;
    errors.push_back(std::move(detail));
    return nullptr;
  }
  return service;
}

void refresh_idps(const saml_service& service) {
  auto report = service.idps->refresh();
  for (const auto& failure : report.failures) {
    spdlog::warn("IdP metadata refresh: {}: {}{} (reason={})", failure.file, failure.why.detail,
                 failure.kept_last_good ? "; its last good copy stays in service" : "",
                 saml::reason_code(failure.why.code));
  }
  for (const auto& notice : report.notices) spdlog::warn("IdP metadata refresh: {}", notice);
  if (report.changed) spdlog::info("IdP metadata refreshed: {} IdPs", report.idp_count);
}

}  // namespace varco::gateway
