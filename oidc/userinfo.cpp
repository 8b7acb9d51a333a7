#include "oidc/userinfo.hpp"

#include "jose/claims.hpp"
#include "jose/jws.hpp"

#include <algorithm>

namespace varco::oidc {

outcome<boost::json::object> read_userinfo(std::string_view response,
                                           std::span<const jose::decryption_key> rp_keys,
                                           const jose::jwk_set& provider_keys,
                                           const userinfo_expectations& expected) {
  // Five parts is a JWE, three a JWS: the dots are counted before anything is decoded.
  const auto dots = std::count(response.begin(), response.end(), '.');
  std::string signed_token;
  if (dots == 4) {
    auto opened = jose::decrypt_jwe(response, rp_keys, jose::jwe_policy{});
    if (!opened) return from_jose(opened.error());
    signed_token = std::move(opened->plaintext);
  } else if (expected.require_encryption) {
    return failure{reason::request_invalid, "the UserInfo response is not encrypted"};
  } else {
    signed_token = std::string(response);
  }
  jose::jws_policy policy;
  policy.algorithms = expected.algorithms;
  auto verified = jose::verify_jws(signed_token, provider_keys, policy);
  if (!verified) return from_jose(verified.error());
  auto claims = jose::parse_claims(verified->payload);
  if (!claims) return from_jose(claims.error());

  const auto* sub = claims->if_contains("sub");
  if (sub == nullptr || !sub->is_string() || expected.subject.empty() ||
      sub->get_string() != expected.subject) {
    return failure{reason::subject_missing, "not the ID Token's subject"};
  }
  const auto* iss = claims->if_contains("iss");
  if (iss == nullptr || !iss->is_string() || iss->get_string() != expected.issuer)
    return failure{reason::issuer_mismatch, {}};
  const auto* aud = claims->if_contains("aud");
  const bool for_us =
      aud != nullptr &&
      ((aud->is_string() && aud->get_string() == expected.client_id) ||
       (aud->is_array() && std::any_of(aud->get_array().begin(), aud->get_array().end(),
                                       [&](const boost::json::value& v) {
                                         return v.is_string() &&
                                                v.get_string() == expected.client_id;
                                       })));
  if (!for_us) return failure{reason::audience_mismatch, {}};
  return std::move(*claims);
}

}  // namespace varco::oidc
