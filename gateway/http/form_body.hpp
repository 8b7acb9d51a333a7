// application/x-www-form-urlencoded bodies of the gateway's own endpoints (SAML POST binding,
// logout form). Pure and thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace varco::gateway {

// name → value, '+' as space and %XX decoded. nullopt when the body is malformed (bad escape) or
// a name appears twice (a duplicated SAMLResponse or RelayState is an attack, not a choice).
std::optional<std::map<std::string, std::string>> parse_form(std::string_view body);

// The same rules for a URL query string (the HTTP-Redirect binding and /saml/login parameters).
inline std::optional<std::map<std::string, std::string>> parse_query(std::string_view query) {
  return parse_form(query);
}

}  // namespace varco::gateway
