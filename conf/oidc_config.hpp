// The oidc section of the configuration model (conf/config.hpp includes it): the OpenID Connect
// Relying Party, its place in the SPID/CIE federation and its providers. Value types only, read
// by conf/oidc_section.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace varco::conf {

using duration = std::chrono::milliseconds;  // as in conf/config.hpp
using namespace std::chrono_literals;

// --- OpenID Connect Relying Party (SPID and CIE through the federation, and plain providers) ---

// spid, cie: an OpenID Provider of the SPID/CIE OpenID Connect Federation, found through a trust
// chain up to a configured trust anchor. oidc: any standard provider, found by discovery
// (/.well-known/openid-configuration), such as a broker or a Keycloak.
enum class oidc_provider_kind { spid, cie, oidc };

// How varco authenticates at a provider's token and revocation endpoints.
enum class oidc_client_auth { private_key_jwt, client_secret_basic };

struct oidc_trust_anchor {
  std::string entity_id;
  std::string jwks_file;  // the anchor's federation keys, {"keys": [...]}, from its operator
  std::string jwks_json;  // the file's content, read at load
};

struct oidc_trust_mark {
  std::string id;
  std::string trust_mark;  // the signed trust mark (a JWT) issued for varco
};

// varco as a Relying Party of the SPID/CIE OpenID Connect Federation: its Entity Configuration
// at /.well-known/openid-federation, and where trust chains end.
struct oidc_federation {
  bool enabled = false;   // the section is present
  std::string entity_id;  // the client_id at every federation provider; default public_base_url
  std::string key_file;   // signs the Entity Configuration (varco oidc-key)
  // Public keys published beside key_file's in the Entity Configuration's jwks: the next key of a
  // rollover, or the previous one until the statements it signed have expired. {"keys": [...]}.
  std::string additional_jwks_file;
  std::string additional_jwks_json;          // the file's content, read at load
  std::vector<std::string> authority_hints;  // varco's superiors
  std::vector<oidc_trust_anchor> trust_anchors;
  std::vector<oidc_trust_mark> trust_marks;
  std::string organization_name;
  std::vector<std::string> contacts;        // e-mail addresses
  duration entity_configuration_ttl = 24h;  // exp of the Entity Configuration
  // Trust marks every federation provider's chain must show; empty = none asked for.
  std::vector<std::string> required_trust_marks;
};

struct oidc_provider {
  std::string id;  // short, in /oidc/login?provider=<id>: [a-z0-9-]
  oidc_provider_kind kind = oidc_provider_kind::oidc;
  std::string issuer;  // the provider's issuer (and entity id in the federation)
  std::string name;    // on the login page; default the issuer's host
  std::string logo;
  int default_level = 2;  // spid, cie: SpidL1..3 asked for by default
  // oidc only: the client registered at the provider.
  std::string client_id;
  oidc_client_auth client_auth = oidc_client_auth::private_key_jwt;
  std::string client_secret_file;
  std::string client_secret;        // the file's content, read at load
  std::vector<std::string> scopes;  // default: openid profile email (oidc), openid (spid, cie)
  // The claims asked for, and the one that carries the fiscal number (TINIT-… or bare).
  std::vector<std::string> claims;
  std::string fiscal_number_claim = "https://attributes.eid.gov.it/fiscal_number";
  bool request_object = false;  // oidc: send a signed Request Object (always for spid, cie)
  bool userinfo = true;         // ask the UserInfo endpoint (always for spid, cie)
};

struct oidc {
  bool enabled = false;             // the section is present
  std::string redirect_uri;         // derived: public_base_url + /oidc/callback
  std::string signing_key_file;     // Request Objects and client assertions (varco oidc-key)
  std::string encryption_key_file;  // the key UserInfo is encrypted to (varco oidc-key --use enc)
  // Public keys published beside the two above in the Relying Party's jwks (rollover).
  std::string additional_jwks_file;
  std::string additional_jwks_json;
  oidc_federation federation;
  std::vector<oidc_provider> providers;
  duration clock_skew = 60s;
  duration request_ttl = 10min;  // a login round: authorization request to callback
  duration metadata_refresh =
      1h;                       // discovery, keys and trust chains are re-read at least this often
  duration fetch_timeout = 5s;  // one fetch from a provider or a federation entity
  std::size_t max_document_bytes = 256 * 1024;  // fetched documents and tokens
  std::string ca_file;  // trust for the providers' https endpoints; empty: system store
  std::string audit_directory;
  int audit_retention_months = 24;
  std::vector<std::string> allowed_return_prefixes{"/"};

  const oidc_provider* find_provider(std::string_view id) const;
};

}  // namespace varco::conf
