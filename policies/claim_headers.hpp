// The claims headers added to a proxied request, and the namespace of client headers removed
// before them (so a client can never forge an identity header in any spelling).
//
// Pure functions; thread-safe.
#pragma once

#include "conf/config.hpp"
#include "policies/identity.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace varco::policies {

// True for a client header that must be removed: a name starting with claims.header_namespace,
// equal to claims.token_header, or "Authorization" when claims.replace_authorization. Comparison
// ignores ASCII case and treats '_' and '-' as equal (some servers map one onto the other). An
// empty namespace matches nothing (it would otherwise strip every header).
bool in_claims_namespace(std::string_view header_name, const conf::claims& claims);

// Header name → value for every claim named in claims.header_names, in claim order. Values are
// sanitised with sanitize_header_value.
std::vector<std::pair<std::string, std::string>> claim_headers(const identity& id,
                                                               const conf::claims& claims);

// The value of one claim, unsanitised.
std::string claim_value(const identity& id, conf::claim c);

// Removes every control character (C0 including CR, LF and NUL, DEL, and UTF-8 encoded C1) so a
// value from an assertion or the directory cannot split or inject header lines. Other UTF-8 is
// kept as is.
std::string sanitize_header_value(std::string_view value);

}  // namespace varco::policies
