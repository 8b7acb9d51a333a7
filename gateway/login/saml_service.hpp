// What the login endpoints derive from one configuration's saml section: the SP profile (keys
// loaded), the signed SP metadata (built once), and the IdP registry. Part of the runtime: built
// at (re)load, immutable except for the registry's own atomic refresh, shared by all workers.
#pragma once

#include "conf/config.hpp"
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
  const conf::saml* config = nullptr;  // points into the runtime's config
};

// Loads keys, IdP metadata and builds the SP metadata; nullptr with `errors` filled on failure.
std::shared_ptr<const saml_service> build_saml_service(const conf::saml& config,
                                                       std::vector<std::string>& errors);

// Re-reads the IdP metadata sources and logs what changed or failed (control thread).
void refresh_idps(const saml_service& service);

}  // namespace varco::gateway
