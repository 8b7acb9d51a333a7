#include "oidc/userinfo.hpp"

#include "jose/claims.hpp"
#include "oidc/id_token.hpp"

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
  auto claims = verify_signed_claims(signed_token, provider_keys, expected.algorithms);
  if (!claims) return claims;
  const auto* sub = claims->if_contains("sub");
  if (sub == nullptr || !sub->is_string() || expected.subject.empty() ||
      sub->get_string() != expected.subject) {
    return failure{reason::subject_missing, "not the ID Token's subject"};
  }
  if (auto ok = jose::check_issuer_and_audience(*claims, expected.issuer, expected.client_id); !ok)
    return from_jose(ok.error());
  return std::move(*claims);
}

}  // namespace varco::oidc
