// How varco learns a provider's endpoints and keys before a login:
//   oidc kind: OpenID Connect Discovery (/.well-known/openid-configuration; its issuer must be
//     the configured one exactly) and the keys of its jwks_uri;
//   spid, cie: OpenID Federation 1.0 — the provider's Entity Configuration, then for each
//     superior named in authority_hints its Entity Configuration and the Subordinate Statement
//     its fetch endpoint gives, up to a configured trust anchor; the chain is validated
//     (federation/trust_chain.hpp) and the openid_provider metadata taken with the policies
//     applied; keys inline (jwks) or from jwks_uri.
// The result holds until the shortest of the chain's expiry, the documents' Cache-Control and
// oidc.metadata_refresh.
#pragma once

#include "gateway/login/oidc_service.hpp"
#include "gateway/outbound/fetch.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <string>

namespace varco::gateway {

struct resolve_failure {
  // provider_unreachable (a fetch failed), provider_refused (not 200), discovery_invalid,
  // issuer_mismatch, jwks_invalid, chain_too_long, or a federation reason (statement_signature,
  // chain_untrusted, policy_violation, trust_mark_missing, …).
  std::string_view reason;  // static storage: it becomes the answer's reason code
  std::string detail;       // for the log
};

using resolve_result = boost::system::result<resolved_provider, resolve_failure>;

// Superiors followed above the provider before a trust anchor must be reached.
inline constexpr int max_federation_hops = 6;

awaitable<resolve_result> resolve_provider(fetcher& fetch, const oidc_service& service,
                                           const conf::oidc_provider& provider,
                                           std::chrono::system_clock::time_point now);

}  // namespace varco::gateway
