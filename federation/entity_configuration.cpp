#include "federation/entity_configuration.hpp"

#include "federation/entity_statement.hpp"
#include "jose/jws.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>

namespace varco::federation {

outcome<std::string> sign_entity_configuration(const entity_configuration& configuration,
                                               const EVP_PKEY* key, std::string_view alg,
                                               std::string_view kid,
                                               std::chrono::system_clock::time_point now) {
  if (configuration.entity_id.empty() || configuration.federation_jwks.empty())
    return failure{reason::internal_error, "no entity id or no federation key"};
  const bool kid_published =
      std::any_of(configuration.federation_jwks.begin(), configuration.federation_jwks.end(),
                  [&](const boost::json::value& k) {
                    const auto* id = k.is_object() ? k.get_object().if_contains("kid") : nullptr;
                    return id != nullptr && id->is_string() && id->get_string() == kid;
                  });
  if (!kid_published)
    return failure{reason::internal_error, "the signing key is not among the federation keys"};
  const auto seconds = [](std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  };
  boost::json::object claims{{"iss", configuration.entity_id},
                             {"sub", configuration.entity_id},
                             {"iat", seconds(now)},
                             {"exp", seconds(now + configuration.lifetime)},
                             {"jwks", {{"keys", configuration.federation_jwks}}}};
  if (!configuration.authority_hints.empty()) {
    boost::json::array hints;
    for (const auto& h : configuration.authority_hints) hints.emplace_back(h);
    claims["authority_hints"] = std::move(hints);
  }
  if (!configuration.metadata.empty()) claims["metadata"] = configuration.metadata;
  if (!configuration.trust_marks.empty()) claims["trust_marks"] = configuration.trust_marks;
  auto token = jose::sign_jws(boost::json::serialize(claims), key, alg, kid,
                              {{"typ", entity_statement_type}});
  if (!token) return failure{reason::internal_error, token.error().detail};
  return std::move(*token);
}

}  // namespace varco::federation
