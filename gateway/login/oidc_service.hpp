// What the login endpoints derive from one configuration's oidc section: varco's own keys as a
// Relying Party, its Entity Configuration in the SPID/CIE federation, the trust anchors, the TLS
// context of the fetches to providers, and the providers' resolved metadata (oidc_resolver.hpp).
// Part of the runtime: built at (re)load, immutable but for the metadata cache, which is locked.
#pragma once

#include "base/openssl_handles.hpp"
#include "conf/config.hpp"
#include "federation/trust_chain.hpp"
#include "jose/jwe.hpp"
#include "oidc/authorization.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace varco::gateway {

// One of varco's private keys, with the public JWK it publishes (kid = RFC 7638 thumbprint, as
// `varco oidc-key` prints it).
struct rp_key {
  base::openssl_ptr<EVP_PKEY> key;
  std::string alg;  // RS256 or ES256 for signatures, RSA-OAEP-256 for encryption
  std::string kid;
  boost::json::object public_jwk;

  oidc::signing_key signing() const { return {key.get(), alg, kid}; }
};

// A provider as the last resolution found it: endpoints, keys and how long they hold.
struct resolved_provider {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string userinfo_endpoint;
  std::string revocation_endpoint;   // may be empty
  std::string end_session_endpoint;  // may be empty
  std::string jwks_uri;              // may be empty when the keys came inline (federation)
  jose::jwk_set keys;
  std::vector<std::string> id_token_algorithms;  // empty: jose's allow-list
  std::string trust_anchor;                      // federation providers
  std::chrono::system_clock::time_point resolved_at;
  std::chrono::system_clock::time_point expires;  // re-resolved after (stale copies still serve)
};

// The providers' resolved metadata, shared by every worker.
class provider_cache {
 public:
  std::shared_ptr<const resolved_provider> find(const std::string& id) const;
  void store(const std::string& id, std::shared_ptr<const resolved_provider> provider);
  // Claims the right to refresh `id` now: false while another refresh of it runs, or when one
  // started less than `spacing` ago (an unknown kid must not become a fetch per request).
  bool begin_refresh(const std::string& id, std::chrono::steady_clock::duration spacing);
  void end_refresh(const std::string& id);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const resolved_provider>> by_id_;
  std::map<std::string, std::chrono::steady_clock::time_point> refresh_started_;
  std::map<std::string, bool> refreshing_;
};

struct oidc_service {
  const conf::oidc* config = nullptr;             // points into the runtime's config
  rp_key signing;                                 // Request Objects and client assertions
  std::vector<jose::decryption_key> decryption;   // UserInfo is encrypted to these
  boost::json::object encryption_jwk;             // empty without an encryption key
  rp_key federation;                              // the Entity Configuration (federation only)
  boost::json::array additional_rp_keys;          // published beside signing and encryption
  boost::json::array additional_federation_keys;  // published beside the federation key
  std::vector<federation::trust_anchor> anchors;
  std::shared_ptr<boost::asio::ssl::context> tls;  // fetches to providers and federation entities
  std::shared_ptr<provider_cache> providers = std::make_shared<provider_cache>();

  // varco's public keys as a Relying Party, {"keys": [sig, enc]}.
  boost::json::object rp_jwks() const;
  // The signed Entity Configuration served at /.well-known/openid-federation, made at most once
  // per tenth of its lifetime (it is served to anyone, and a signature costs).
  std::string entity_configuration(std::chrono::system_clock::time_point now) const;

 private:
  mutable std::mutex statement_mutex_;
  mutable std::string statement_;
  mutable std::chrono::system_clock::time_point statement_made_{};
};

// Loads the keys and trust anchors; nullptr with `errors` filled on failure.
std::shared_ptr<oidc_service> build_oidc_service(const conf::oidc& config,
                                                 std::vector<std::string>& errors);

}  // namespace varco::gateway
