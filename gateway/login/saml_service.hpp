// What the login endpoints derive from one configuration's saml section: the SP profile (keys
// loaded), the signed SP metadata (built once), and the IdP registry. Part of the runtime: built
// at (re)load, immutable except for the registry's own atomic refresh, shared by all workers.
#pragma once

#include "conf/config.hpp"
#include "gateway/login/idp_url_source.hpp"
#include "saml/idp_registry.hpp"
#include "saml/sp_profile.hpp"

#include <memory>
#include <string>
#include <vector>

namespace varco::gateway {

struct saml_service {
  saml::sp_profile profile;
  std::string spid_metadata;  // signed, served at /saml/metadata
  std::string cie_metadata;   // signed, served at /saml/metadata/cie (empty: CIE not configured)
  std::shared_ptr<saml::idp_registry> idps;
  // The metadata sources given by URL, with what their fetches left: fetched again as each falls
  // due, on the server's control thread (idp_url_refresh.hpp).
  std::vector<std::shared_ptr<idp_url_source>> url_sources;
  const conf::saml* config = nullptr;  // points into the runtime's config
};

// Loads keys and IdP metadata and builds the SP metadata; nullptr with `errors` filled on
// failure. URL sources are fetched before it returns (the start waits for them, bounded by their
// timeouts); `previous` is the running service on reload: a URL source it shares keeps its
// document, validators, schedule and counters instead of being fetched again.
std::shared_ptr<const saml_service> build_saml_service(const conf::saml& config,
                                                       std::vector<std::string>& errors,
                                                       const saml_service* previous = nullptr);

// Re-reads the IdP metadata files and logs what changed or failed (control thread); URL sources
// keep their copies (idp_url_refresher fetches them).
void refresh_idps(const saml_service& service);

}  // namespace varco::gateway
