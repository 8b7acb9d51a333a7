#include "oidc/id_token.hpp"

#include "jose/compact.hpp"
#include "jose/jws.hpp"

#include <algorithm>

namespace varco::oidc {

std::vector<std::string> spid_acr_order() {
  return {"https://www.spid.gov.it/SpidL1", "https://www.spid.gov.it/SpidL2",
          "https://www.spid.gov.it/SpidL3"};
}

outcome<boost::json::object> verify_signed_claims(std::string_view token, const jose::jwk_set& keys,
                                                  const std::vector<std::string>& algorithms) {
  jose::jws_policy policy;
  policy.algorithms = algorithms;
  auto verified = jose::verify_jws(token, keys, policy);
  if (!verified) return from_jose(verified.error());
  auto claims = jose::parse_claims(verified->payload);
  if (!claims) return from_jose(claims.error());
  return std::move(*claims);
}

outcome<boost::json::object> validate_id_token(std::string_view token, const jose::jwk_set& keys,
                                               const id_token_expectations& expected) {
  auto claims = verify_signed_claims(token, keys, expected.algorithms);
  if (!claims) return claims;
  jose::claim_expectations times;
  times.issuer = expected.issuer;
  times.audience = expected.client_id;
  times.now = expected.now;
  times.skew = expected.skew;
  if (auto ok = jose::check_claims(*claims, times); !ok) return from_jose(ok.error());

  const auto* sub = claims->if_contains("sub");
  if (sub == nullptr || !sub->is_string() || sub->get_string().empty())
    return failure{reason::subject_missing, {}};
  const auto* nonce = claims->if_contains("nonce");
  if (expected.nonce.empty() || nonce == nullptr || !nonce->is_string() ||
      nonce->get_string() != expected.nonce) {
    return failure{reason::nonce_mismatch, {}};
  }
  if (!expected.minimum_acr.empty()) {
    const auto* acr = claims->if_contains("acr");
    const auto& order = expected.acr_order;
    const auto minimum = std::find(order.begin(), order.end(), expected.minimum_acr);
    const auto reached = acr != nullptr && acr->is_string()
                             ? std::find(order.begin(), order.end(), acr->get_string())
                             : order.end();
    if (minimum == order.end() || reached == order.end() || reached < minimum)
      return failure{reason::acr_insufficient,
                     acr && acr->is_string() ? std::string(acr->get_string()) : "none"};
  }
  return std::move(*claims);
}

std::optional<std::string> peek_issuer(std::string_view token) {
  auto parts = jose::split_jws(token, jose::limits{});
  if (!parts) return std::nullopt;
  auto claims = jose::parse_claims(parts->payload);
  if (!claims) return std::nullopt;
  const auto* iss = claims->if_contains("iss");
  if (iss == nullptr || !iss->is_string()) return std::nullopt;
  return std::string(iss->get_string());
}

}  // namespace varco::oidc
