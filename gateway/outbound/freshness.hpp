// How long a fetched document (discovery, JWKS, entity configuration, SAML metadata) may be used
// before it is fetched again, from its Cache-Control. A pure function.
#pragma once

#include <chrono>
#include <string_view>

namespace varco::gateway {

// max-age (RFC 9111: case-insensitive directive names, the value bare or quoted; the smallest
// when several; a value past what fits counts as very large), 0 for no-store or no-cache, the
// floor without a usable max-age; then at least `floor` and at most `cap`. The floor keeps a
// provider that says "do not cache" from being fetched on every login. Requires floor <= cap.
std::chrono::seconds freshness(std::string_view cache_control, std::chrono::seconds floor,
                               std::chrono::seconds cap);

}  // namespace varco::gateway
