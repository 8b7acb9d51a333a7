// What the login page offers, from the providers the runtime has: the SAML IdPs of saml/ and the
// OpenID Providers of the oidc section, each turned into a link to the endpoint of its protocol.
// Pure and thread-safe but for the caller's random generator.
#pragma once

#include "conf/config.hpp"
#include "gateway/pages/page_renderer.hpp"

#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace varco::gateway {

// A SAML identity provider as the login page names it.
struct saml_idp_choice {
  std::string entity_id;
  std::string name;
  std::string logo;  // may be empty
};

struct login_sources {
  std::vector<saml_idp_choice> saml_spid;     // the SPID IdPs of the registry
  std::vector<saml_idp_choice> saml_cie;      // the CIE ID provider; empty until saml.cie is set
  std::span<const conf::oidc_provider> oidc;  // oidc.providers; empty without the section
  // The return path the page was opened with, where each protocol's return_paths allow it;
  // "" leaves it off that protocol's links (the login lands on /area).
  std::string saml_return;
  std::string oidc_return;
};

// /saml/login?idp=<entity id>[&return=<path>] and /oidc/login?provider=<id>[&return=<path>],
// every value percent-encoded.
std::string saml_login_link(std::string_view entity_id, std::string_view return_path);
std::string oidc_login_link(std::string_view provider_id, std::string_view return_path);

// The page's choices:
// - "Entra con SPID": the SAML SPID IdPs and the OpenID Providers of kind spid, shuffled together
//   with `shuffle_rng`, so no provider and no protocol is favoured (as AgID's button does);
// - "Entra con CIE": the first OpenID Provider of kind cie, else the SAML CIE ID provider, else
//   none (the button says "Presto disponibile");
// - "Altri metodi di accesso": the OpenID Providers of kind oidc, in the configuration's order.
// session_expired is left to the caller.
login_view login_choices(const login_sources& sources, std::mt19937& shuffle_rng);

}  // namespace varco::gateway
