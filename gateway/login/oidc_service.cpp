#include "gateway/login/oidc_service.hpp"

#include "federation/entity_configuration.hpp"
#include "gateway/outbound/client_tls.hpp"
#include "jose/jwk.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <openssl/pem.h>
#include <spdlog/spdlog.h>

namespace varco::gateway {
namespace {

base::openssl_ptr<EVP_PKEY> read_private_key(const std::string& file) {
  base::openssl_ptr<BIO> bio(BIO_new_file(file.c_str(), "r"));
  if (!bio) return nullptr;
  return base::openssl_ptr<EVP_PKEY>(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

// A signing key: RSA of at least 2048 bits (RS256) or EC P-256 (ES256), as `varco oidc-key`
// makes them. `encryption` asks for an RSA key (RSA-OAEP-256) instead.
bool load_key(const std::string& file, bool encryption, rp_key& out, std::string_view what,
              std::vector<std::string>& errors) {
  out.key = read_private_key(file);
  if (!out.key) {
    errors.push_back(std::string(what) + " " + file + " is not a PEM private key");
    return false;
  }
  const int type = EVP_PKEY_get_base_id(out.key.get());
  if (type == EVP_PKEY_RSA) {
    if (EVP_PKEY_get_bits(out.key.get()) < jose::min_rsa_bits) {
      errors.push_back(std::string(what) + " " + file + " is an RSA key under 2048 bits");
      return false;
    }
    out.alg = encryption ? "RSA-OAEP-256" : "RS256";
  } else if (type == EVP_PKEY_EC && !encryption) {
    out.alg = "ES256";
  } else {
    errors.push_back(std::string(what) + " " + file +
                     (encryption ? " must be an RSA key" : " must be an RSA or EC P-256 key"));
    return false;
  }
  auto jwk = jose::public_jwk_json(out.key.get(), "", encryption ? "enc" : "sig", out.alg);
  if (!jwk) {
    errors.push_back(std::string(what) + " " + file + " has no JWK form (EC keys: P-256 only)");
    return false;
  }
  out.kid = jose::jwk_thumbprint(*jwk);
  (*jwk)["kid"] = out.kid;
  out.public_jwk = std::move(*jwk);
  return true;
}

// The keys of an additional_jwks_file: a JWK set of public keys varco would accept from a peer
// (jose's rules), kept as written for publication.
bool load_additional_keys(const std::string& file, const std::string& json, boost::json::array& out,
                          std::string_view what, std::vector<std::string>& errors) {
  if (file.empty()) return true;
  auto keys = jose::jwk_set::parse(json);
  boost::system::error_code ec;
  auto document = boost::json::parse(json, ec);
  if (!keys || ec || !document.is_object() || !document.as_object().contains("keys") ||
      !document.at("keys").is_array()) {
    errors.push_back(std::string(what) + " " + file + " is not a JWK set of public keys" +
                     (keys ? "" : ": " + keys.error().detail));
    return false;
  }
  out = document.at("keys").as_array();
  return true;
}

}  // namespace

std::shared_ptr<const resolved_provider> provider_cache::find(const std::string& id) const {
  const std::lock_guard lock(mutex_);
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

void provider_cache::store(const std::string& id,
                           std::shared_ptr<const resolved_provider> provider) {
  const std::lock_guard lock(mutex_);
  by_id_[id] = std::move(provider);
}

bool provider_cache::begin_refresh(const std::string& id,
                                   std::chrono::steady_clock::duration spacing) {
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard lock(mutex_);
  if (refreshing_[id]) return false;
  if (auto it = refresh_started_.find(id);
      it != refresh_started_.end() && now - it->second < spacing)
    return false;
  refreshing_[id] = true;
  refresh_started_[id] = now;
  return true;
}

void provider_cache::end_refresh(const std::string& id) {
  const std::lock_guard lock(mutex_);
  refreshing_[id] = false;
}

boost::json::object oidc_service::rp_jwks() const {
  boost::json::array keys;
  keys.push_back(signing.public_jwk);
  if (!encryption_jwk.empty()) keys.push_back(encryption_jwk);
  for (const auto& key : additional_rp_keys) keys.push_back(key);
  return {{"keys", std::move(keys)}};
}

std::string oidc_service::entity_configuration(std::chrono::system_clock::time_point now) const {
  const auto& fed = config->federation;
  const std::lock_guard lock(statement_mutex_);
  if (!statement_.empty() && now - statement_made_ < fed.entity_configuration_ttl / 10 &&
      now >= statement_made_)
    return statement_;

  federation::entity_configuration ec;
  ec.entity_id = fed.entity_id;
  ec.authority_hints = fed.authority_hints;
  ec.lifetime = std::chrono::duration_cast<std::chrono::seconds>(fed.entity_configuration_ttl);
  ec.federation_jwks.push_back(federation.public_jwk);
  for (const auto& key : additional_federation_keys) ec.federation_jwks.push_back(key);
  boost::json::array redirect_uris{boost::json::value(config->redirect_uri)};
  boost::json::array contacts;
  for (const auto& contact : fed.contacts) contacts.emplace_back(contact);
  boost::json::object rp{
      {"client_id", fed.entity_id},
      {"client_registration_types", boost::json::array{"automatic"}},
      {"redirect_uris", std::move(redirect_uris)},
      {"response_types", boost::json::array{"code"}},
      {"grant_types", boost::json::array{"authorization_code"}},
      {"jwks", rp_jwks()},
      {"token_endpoint_auth_method", "private_key_jwt"},
      {"id_token_signed_response_alg", "RS256"},
      {"userinfo_signed_response_alg", "RS256"},
      {"userinfo_encrypted_response_alg", "RSA-OAEP-256"},
      {"userinfo_encrypted_response_enc", "A256CBC-HS512"},
      {"request_object_signing_alg", signing.alg},
      {"client_name", fed.organization_name},
      {"contacts", contacts},
  };
  boost::json::object entity{{"organization_name", fed.organization_name},
                             {"contacts", std::move(contacts)}};
  ec.metadata = {{"openid_relying_party", std::move(rp)}, {"federation_entity", std::move(entity)}};
  for (const auto& mark : fed.trust_marks)
    ec.trust_marks.push_back(boost::json::object{{"id", mark.id}, {"trust_mark", mark.trust_mark}});
  auto signed_ec = federation::sign_entity_configuration(ec, federation.key.get(), federation.alg,
                                                         federation.kid, now);
  if (!signed_ec) {
    spdlog::error("oidc: the Entity Configuration cannot be signed (reason=key_unusable)");
    return statement_;  // the previous one, or empty: the endpoint answers 503
  }
  statement_ = std::move(*signed_ec);
  statement_made_ = now;
  return statement_;
}

std::shared_ptr<oidc_service> build_oidc_service(const conf::oidc& config,
                                                 std::vector<std::string>& errors) {
  auto service = std::make_shared<oidc_service>();
  service->config = &config;
  bool ok =
      load_key(config.signing_key_file, false, service->signing, "oidc.signing_key_file", errors);
  if (!config.encryption_key_file.empty()) {
    rp_key encryption;
    if (load_key(config.encryption_key_file, true, encryption, "oidc.encryption_key_file",
                 errors)) {
      service->encryption_jwk = std::move(encryption.public_jwk);
      service->decryption.push_back({encryption.kid, std::move(encryption.key)});
    } else {
      ok = false;
    }
  }
  ok = load_additional_keys(config.additional_jwks_file, config.additional_jwks_json,
                            service->additional_rp_keys, "oidc.additional_jwks_file", errors) &&
       ok;
  if (config.federation.enabled) {
    ok = load_additional_keys(
             config.federation.additional_jwks_file, config.federation.additional_jwks_json,
             service->additional_federation_keys, "oidc.federation.additional_jwks_file", errors) &&
         ok;
    ok = load_key(config.federation.key_file, false, service->federation,
                  "oidc.federation.key_file", errors) &&
         ok;
    for (const auto& anchor : config.federation.trust_anchors) {
      auto keys = jose::jwk_set::parse(anchor.jwks_json);
      if (!keys || keys->keys().empty()) {
        errors.push_back("oidc.federation.trust_anchors: " + anchor.jwks_file +
                         " is not a JWK set with at least one key");
        ok = false;
        continue;
      }
      service->anchors.push_back({anchor.entity_id, std::move(*keys)});
    }
  }
  auto tls = make_client_tls_context(config.ca_file);
  if (!tls) {
    errors.push_back("oidc.ca_file: " + tls.error());
    ok = false;
  } else {
    service->tls = std::move(*tls);
  }
  if (!ok) return nullptr;
  return service;
}

}  // namespace varco::gateway
