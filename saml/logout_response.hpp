// samlp:LogoutResponse both ways (RULES.md §4):
// - the IdP's answer to our LogoutRequest, read and checked;
// - ours to an IdP-initiated LogoutRequest, built and signed.
//
// Pure: the caller passes the instant. Thread-safe.
#pragma once

#include "saml/errors.hpp"
#include "saml/idp.hpp"
#include "saml/pending_request.hpp"
#include "saml/sp_profile.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace varco::saml {

// An IdP's LogoutResponse that passed every check (saml/logout_messages.hpp, then: InResponseTo
// and a top-level StatusCode are present). The caller matches in_response_to with the ID of the
// LogoutRequest it sent (built_logout_request::id) and that it still waits for it.
struct logout_response_info {
  std::string in_response_to;
  std::string issuer;
  std::string status;      // the top-level StatusCode URI
  std::string sub_status;  // the second-level StatusCode URI, or empty
  // Success, or a PartialLogout second-level status (RULES.md §4 accepts Requester/PartialLogout:
  // the IdP ended what it could). Either way the local session is already gone; a false here is
  // worth a warning and a page saying that the IdP session may still be open.
  bool success = false;
  std::string relay_state;  // Redirect: decoded from the query; POST: empty (the form has it)
};

// `raw_query`: the query string as received, without '?'. `expected_destination`: our slo_url.
outcome<logout_response_info> read_logout_response_redirect(std::string_view raw_query,
                                                            const idp_set& idps,
                                                            std::string_view expected_destination,
                                                            sys_millis now,
                                                            std::chrono::milliseconds skew);
// `saml_response_b64`: the SAMLResponse form field, still base64.
outcome<logout_response_info> read_logout_response_post(std::string_view saml_response_b64,
                                                        const idp_set& idps,
                                                        std::string_view expected_destination,
                                                        sys_millis now,
                                                        std::chrono::milliseconds skew);

struct built_logout_response {
  std::string id;
  std::string binding;  // the binding used
  std::string xml;      // as sent: unsigned for Redirect (the query is signed), signed for POST
  std::string redirect_url;
  std::string post_form_html;
};

// Our answer to an IdP-initiated LogoutRequest, sent to the IdP's SingleLogoutService
// ResponseLocation (else Location). `status` is a full StatusCode URI or its last segment
// ("Success", "Responder", ...). `binding`: binding_redirect or binding_post, empty prefers
// Redirect; when the IdP lists only the other binding, that one is used. Fails with
// logout_no_slo_service when the IdP lists neither, internal_error when in_response_to is empty,
// the binding unknown or signing fails.
outcome<built_logout_response> build_logout_response(const sp_profile& sp,
                                                     const idp_descriptor& idp,
                                                     std::string_view in_response_to,
                                                     std::string_view status, sys_millis now,
                                                     const std::string& binding,
                                                     const std::string& relay_state);

}  // namespace varco::saml
