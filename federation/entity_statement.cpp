#include "federation/entity_statement.hpp"

#include "jose/claims.hpp"
#include "jose/compact.hpp"
#include "jose/jws.hpp"

#include <boost/json/serialize.hpp>

namespace varco::federation {
namespace {

failure malformed(std::string detail) {
  return failure{reason::statement_malformed, std::move(detail)};
}

outcome<std::string> required_string(const boost::json::object& claims, std::string_view name) {
  const auto* v = claims.if_contains(name);
  if (v == nullptr || !v->is_string() || v->get_string().empty())
    return malformed("no " + std::string(name));
  return std::string(v->get_string());
}

outcome<std::chrono::system_clock::time_point> required_time(const boost::json::object& claims,
                                                             std::string_view name) {
  const auto* v = claims.if_contains(name);
  if (v == nullptr || !(v->is_int64() || v->is_uint64()))
    return malformed("no " + std::string(name));
  const auto seconds = v->is_int64() ? v->get_int64() : static_cast<std::int64_t>(v->get_uint64());
  // Past 2200 a date is not one (and soon after it would overflow the clock's nanoseconds).
  if (seconds < 0 || seconds > max_numeric_date)
    return malformed(std::string(name) + " is out of range");
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

outcome<std::vector<std::string>> string_array(const boost::json::object& claims,
                                               std::string_view name) {
  std::vector<std::string> out;
  const auto* v = claims.if_contains(name);
  if (v == nullptr) return out;
  if (!v->is_array()) return malformed(std::string(name) + " is not an array");
  for (const auto& e : v->get_array()) {
    if (!e.is_string()) return malformed(std::string(name) + " holds a non-string");
    out.emplace_back(e.get_string());
  }
  return out;
}

outcome<boost::json::object> optional_object(const boost::json::object& claims,
                                             std::string_view name) {
  const auto* v = claims.if_contains(name);
  if (v == nullptr) return boost::json::object{};
  if (!v->is_object()) return malformed(std::string(name) + " is not an object");
  return v->get_object();
}

outcome<entity_statement> from_claims(const boost::json::object& claims) {
  entity_statement out;
  auto iss = required_string(claims, "iss");
  if (!iss) return iss.error();
  auto sub = required_string(claims, "sub");
  if (!sub) return sub.error();
  auto iat = required_time(claims, "iat");
  if (!iat) return iat.error();
  auto exp = required_time(claims, "exp");
  if (!exp) return exp.error();
  out.iss = std::move(*iss);
  out.sub = std::move(*sub);
  out.iat = *iat;
  out.exp = *exp;
  const auto* jwks = claims.if_contains("jwks");
  if (jwks == nullptr || !jwks->is_object()) return malformed("no jwks");
  auto keys = jose::jwk_set::parse(boost::json::serialize(*jwks));
  if (!keys) return malformed("jwks: " + std::string(jose::reason_code(keys.error().code)));
  if (keys->keys().empty()) return malformed("jwks holds no usable key");
  out.jwks = std::move(*keys);
  auto hints = string_array(claims, "authority_hints");
  if (!hints) return hints.error();
  out.authority_hints = std::move(*hints);
  auto crit = string_array(claims, "metadata_policy_crit");
  if (!crit) return crit.error();
  out.metadata_policy_crit = std::move(*crit);
  for (auto [name, into] : {std::pair{"metadata", &out.metadata},
                            {"metadata_policy", &out.metadata_policy},
                            {"trust_mark_issuers", &out.trust_mark_issuers},
                            {"constraints", &out.constraints}}) {
    auto object = optional_object(claims, name);
    if (!object) return object.error();
    *into = std::move(*object);
  }
  if (const auto* marks = claims.if_contains("trust_marks")) {
    if (!marks->is_array()) return malformed("trust_marks is not an array");
    out.trust_marks = marks->get_array();
  }
  return out;
}

}  // namespace

outcome<entity_statement> read_statement(std::string_view token) {
  auto parts = jose::split_jws(token, jose::limits{});
  if (!parts) return malformed(std::string(jose::reason_code(parts.error().code)));
  auto claims = jose::parse_claims(parts->payload);
  if (!claims) return malformed("payload is not a JSON object");
  return from_claims(*claims);
}

outcome<entity_statement> verify_statement(std::string_view token, const jose::jwk_set& keys,
                                           std::chrono::system_clock::time_point now,
                                           std::chrono::seconds skew) {
  jose::jws_policy policy;
  policy.expected_typ = std::string(entity_statement_type);
  auto verified = jose::verify_jws(token, keys, policy);
  if (!verified) {
    const jose::reason why = verified.error().code;
    const bool signature = why == jose::reason::signature_invalid ||
                           why == jose::reason::kid_unknown || why == jose::reason::key_mismatch;
    return failure{signature ? reason::statement_signature : reason::statement_malformed,
                   std::string(jose::reason_code(why))};
  }
  auto claims = jose::parse_claims(verified->payload);
  if (!claims) return malformed("payload is not a JSON object");
  auto statement = from_claims(*claims);
  if (!statement) return statement;
  if (statement->iat > now + skew)
    return failure{reason::statement_not_yet_valid, statement->iss + " about " + statement->sub};
  if (statement->exp <= now - skew)
    return failure{reason::statement_expired, statement->iss + " about " + statement->sub};
  return statement;
}

}  // namespace varco::federation
