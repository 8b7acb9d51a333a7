// What the SP remembers between sending an AuthnRequest and receiving its Response: stored in the
// login state store under the opaque RelayState ("a:<relay>"), with a short TTL, and consumed once.
#pragma once

#include "base/clock.hpp"
#include "saml/idp.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace varco::saml {

using base::sys_millis;

struct pending_request {
  std::string request_id;     // the AuthnRequest ID (InResponseTo must equal it)
  std::string idp_entity_id;  // the Response Issuer must equal it
  provider_kind kind = provider_kind::spid;
  int level = 2;                       // requested SpidL level
  std::string comparison = "minimum";  // RequestedAuthnContext Comparison
  sys_millis issue_instant{};          // the Response may not be older than this
  std::string return_path;             // local path to go to after login ("" → /area)
  // SHA-256 (hex) of the pre-login cookie value: the Response must come back in the browser
  // that started the login (a Response for another browser's request is refused).
  std::string browser_binding;

  bool operator==(const pending_request&) const = default;
};

std::string encode_pending(const pending_request& p);                  // JSON
std::optional<pending_request> decode_pending(std::string_view json);  // nullopt when corrupt

}  // namespace varco::saml
