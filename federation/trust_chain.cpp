#include "federation/trust_chain.hpp"

#include "federation/constraints.hpp"
#include "federation/entity_statement.hpp"
#include "federation/metadata_policy.hpp"
#include "jose/claims.hpp"
#include "jose/jws.hpp"

#include <algorithm>

namespace varco::federation {
namespace {

std::string_view mark_type(const boost::json::object& mark) {
  for (const char* name : {"trust_mark_type", "id"})  // the final name, and the drafts' one
    if (const auto* v = mark.if_contains(name); v && v->is_string()) return v->get_string();
  return {};
}

// A trust mark of `type` about `subject`, signed by an issuer the anchor accepts for that type
// and whose keys this chain holds (the anchor itself or a superior on the chain).
bool has_trust_mark(const entity_statement& leaf, std::string_view type,
                    const std::vector<entity_statement>& chain, const entity_statement& anchor,
                    std::chrono::system_clock::time_point now) {
  for (const auto& item : leaf.trust_marks) {
    if (!item.is_object() || mark_type(item.get_object()) != type) continue;
    const auto* jwt = item.get_object().if_contains("trust_mark");
    if (jwt == nullptr || !jwt->is_string()) continue;
    // The issuer is read before the signature is checked, to know which keys to check it with.
    auto parts = jose::split_jws(jwt->get_string(), jose::limits{});
    if (!parts) continue;
    auto claims = jose::parse_claims(parts->payload);
    if (!claims) continue;
    const auto* iss = claims->if_contains("iss");
    if (iss == nullptr || !iss->is_string()) continue;
    const std::string issuer(iss->get_string());
    if (const auto* allowed = anchor.trust_mark_issuers.if_contains(type)) {
      if (!allowed->is_array() ||
          std::find(allowed->get_array().begin(), allowed->get_array().end(),
                    boost::json::value(issuer)) == allowed->get_array().end())
        continue;
    } else if (issuer != anchor.sub) {
      continue;  // without a list, only the anchor's own marks count
    }
    const jose::jwk_set* keys = issuer == anchor.sub ? &anchor.jwks : nullptr;
    for (std::size_t i = 1; keys == nullptr && i < chain.size(); ++i)
      if (chain[i].sub == issuer) keys = &chain[i].jwks;
    if (keys == nullptr) continue;
    jose::jws_policy policy;
    policy.expected_typ = "trust-mark+jwt";
    auto verified = jose::verify_jws(jwt->get_string(), *keys, policy);
    if (!verified) {
      policy.expected_typ.clear();  // earlier profiles (SPID/CIE) type trust marks as plain JWT
      verified = jose::verify_jws(jwt->get_string(), *keys, policy);
    }
    if (!verified) continue;
    auto mark = jose::parse_claims(verified->payload);
    if (!mark) continue;
    const auto* sub = mark->if_contains("sub");
    const auto* exp = mark->if_contains("exp");
    if (sub == nullptr || !sub->is_string() || sub->get_string() != leaf.sub) continue;
    if (exp != nullptr) {  // without exp a trust mark does not expire
      if (!exp->is_int64() || exp->get_int64() < 0 || exp->get_int64() > max_numeric_date ||
          std::chrono::system_clock::time_point(std::chrono::seconds(exp->get_int64())) <= now)
        continue;
    }
    if (!mark_type(*mark).empty() && mark_type(*mark) != type) continue;
    return true;
  }
  return false;
}

}  // namespace

outcome<resolved_entity> validate_chain(std::span<const std::string> chain,
                                        std::span<const trust_anchor> anchors,
                                        const chain_request& request) {
  if (chain.size() < 3 || chain.size() > 8)
    return failure{reason::chain_broken, std::to_string(chain.size()) + " statements"};
  // The anchor first: its configuration verifies only with the configured keys.
  auto anchor_claims = read_statement(chain.back());
  if (!anchor_claims) return anchor_claims.error();
  const trust_anchor* anchor = nullptr;
  for (const auto& a : anchors)
    if (a.entity_id == anchor_claims->sub && anchor_claims->is_configuration()) anchor = &a;
  if (anchor == nullptr) return failure{reason::chain_untrusted, anchor_claims->sub};
  auto top = verify_statement(chain.back(), anchor->keys, request.now);
  if (!top) {
    if (top.error().code == reason::statement_signature)
      return failure{reason::chain_untrusted, "the anchor's configuration: " + top.error().detail};
    return top.error();
  }

  // Then down the chain: statement j verifies with the keys statement j + 1 gives its subject.
  std::vector<entity_statement> verified(chain.size());
  verified.back() = std::move(*top);
  for (std::size_t j = chain.size() - 1; j-- > 0;) {
    auto statement = verify_statement(chain[j], verified[j + 1].jwks, request.now);
    if (!statement) {
      statement.error().detail += " (statement " + std::to_string(j) + ")";
      return statement.error();
    }
    if (statement->iss != verified[j + 1].sub)
      return failure{reason::chain_broken, statement->iss + " is not " + verified[j + 1].sub};
    if (j == 0 ? !statement->is_configuration() : statement->is_configuration())
      return failure{reason::chain_broken, "statement " + std::to_string(j) + " of the wrong kind"};
    verified[j] = std::move(*statement);
  }
  // The leaf's configuration is self-signed too, and names its superior.
  const entity_statement& leaf = verified[0];
  if (auto self = verify_statement(chain[0], leaf.jwks, request.now); !self)
    return failure{reason::statement_signature, "the leaf's own keys"};
  if (std::find(leaf.authority_hints.begin(), leaf.authority_hints.end(), verified[1].iss) ==
      leaf.authority_hints.end()) {
    return failure{reason::chain_broken, verified[1].iss + " is not in authority_hints"};
  }

  if (auto ok = check_constraints(verified, request.entity_type); !ok) return ok.error();

  // Policies from the anchor down (the anchor's statement about its subordinate comes first).
  boost::json::object merged;
  for (std::size_t j = verified.size() - 1; j-- > 1;) {
    const auto* policy = verified[j].metadata_policy.if_contains(request.entity_type);
    if (policy == nullptr) continue;
    if (!policy->is_object()) return failure{reason::policy_invalid, "not an object"};
    if (auto ok = merge_policy(merged, policy->get_object(), verified[j].metadata_policy_crit); !ok)
      return ok.error();
  }
  const auto* own = leaf.metadata.if_contains(request.entity_type);
  if (own == nullptr || !own->is_object())
    return failure{reason::metadata_missing, request.entity_type};
  boost::json::object metadata = own->get_object();
  // The immediate superior may set metadata outright (§6.1.4.1: before the policies).
  if (const auto* fixed = verified[1].metadata.if_contains(request.entity_type);
      fixed && fixed->is_object()) {
    for (const auto& [k, v] : fixed->get_object()) metadata[k] = v;
  }
  auto applied = apply_policy(std::move(metadata), merged);
  if (!applied) return applied.error();

  for (const auto& type : request.required_trust_marks)
    if (!has_trust_mark(leaf, type, verified, verified.back(), request.now))
      return failure{reason::trust_mark_missing, type};

  resolved_entity out;
  out.entity_id = leaf.sub;
  out.metadata = std::move(*applied);
  out.trust_anchor = anchor->entity_id;
  out.expires =
      std::min_element(verified.begin(), verified.end(), [](const auto& a, const auto& b) {
        return a.exp < b.exp;
      })->exp;
  return out;
}

}  // namespace varco::federation
