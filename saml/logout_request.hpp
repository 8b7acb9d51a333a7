// samlp:LogoutRequest both ways (RULES.md §4):
// - SP-initiated: the SP builds and signs one for the IdP's SingleLogoutService;
// - IdP-initiated: the SP reads and checks one that an IdP sent to its slo_url, then ends every
//   matching session and answers with build_logout_response (saml/logout_response.hpp).
// CIE ID has no SAML Single Logout: the gateway logs out locally for it.
//
// Pure apart from new_request_id() (OpenSSL's CSPRNG); the caller passes the instant. Thread-safe.
#pragma once

#include "saml/errors.hpp"
#include "saml/idp.hpp"
#include "saml/pending_request.hpp"
#include "saml/sp_profile.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace varco::saml {

struct logout_request_params {
  const idp_descriptor* idp = nullptr;
  std::string name_id;         // the NameID of the login's assertion
  std::string name_qualifier;  // its NameQualifier (the IdP's); empty → the IdP entityID
  std::string session_index;   // the AuthnStatement SessionIndex; omitted when empty
  sys_millis now{};
  // binding_redirect or binding_post; empty prefers Redirect. When the IdP lists only the other
  // binding, that one is used (built_logout_request::binding says which).
  std::string binding;
  std::string relay_state;  // opaque server-side key
};

struct built_logout_request {
  std::string id;  // the LogoutResponse's InResponseTo must equal it
  sys_millis issue_instant{};
  std::string binding;  // the binding used
  std::string xml;      // as sent: unsigned for Redirect (the query is signed), signed for POST
  std::string redirect_url;    // Redirect: the IdP SLO location + "?"/"&" + the signed query
  std::string post_form_html;  // POST: the auto-submitting page (saml/post_form.hpp)
};

// Fails with logout_no_slo_service when the IdP lists no Redirect or POST SingleLogoutService,
// internal_error when the IdP is null, the NameID empty, the binding unknown or signing fails.
outcome<built_logout_request> build_logout_request(const sp_profile& sp,
                                                   const logout_request_params& params);

// A LogoutRequest from an IdP that passed every check (saml/logout_messages.hpp, then: a
// saml:NameID is present, NotOnOrAfter — when present — has not passed).
struct idp_logout_request {
  std::string id;  // our LogoutResponse's InResponseTo
  std::string issuer;
  std::string name_id;
  std::string name_qualifier;
  std::vector<std::string> session_indexes;  // empty: every session of that NameID
  const idp_descriptor* idp = nullptr;       // points into the idp_set given
  std::string relay_state;  // Redirect: decoded from the query (echo it back); POST: empty
};

// `raw_query`: the query string as received, without '?'. `expected_destination`: our slo_url.
outcome<idp_logout_request> read_logout_request_redirect(std::string_view raw_query,
                                                         const idp_set& idps,
                                                         std::string_view expected_destination,
                                                         sys_millis now,
                                                         std::chrono::milliseconds skew);
// `saml_request_b64`: the SAMLRequest form field, still base64.
outcome<idp_logout_request> read_logout_request_post(std::string_view saml_request_b64,
                                                     const idp_set& idps,
                                                     std::string_view expected_destination,
                                                     sys_millis now,
                                                     std::chrono::milliseconds skew);

}  // namespace varco::saml
