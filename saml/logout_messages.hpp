// What LogoutRequest and LogoutResponse share (RULES.md §4): the checks every logout message from
// an IdP goes through, whichever binding carried it, and the sending of ours through either
// binding. The public API is in saml/logout_request.hpp and saml/logout_response.hpp, which this
// header includes so that callers may include it alone; what it declares itself (namespace
// logout) is the machinery of those two files.
//
// The incoming checks run in this fixed order; the first that fails decides the reason:
//  1. decode: Redirect → the query's message parameter inflated (bounded); POST → base64
//     (bounded). bad_encoding, message_too_large.
//  2. parse with the untrusted limits: no DOCTYPE, no entities, bounded depth; every ID unique.
//     malformed_xml, doctype_forbidden, too_deep, duplicate_id.
//  3. root: samlp:LogoutRequest or samlp:LogoutResponse as expected. logout_wrong_message.
//  4. issuer: the single saml:Issuer child of the root names a loaded IdP; Format absent or
//     entity. logout_unknown_issuer, logout_issuer_format, element_duplicated.
//  5. signature, with that IdP's metadata certificates only: Redirect → the query signature is
//     required (SigAlg + Signature over the received encoded values); POST → an enveloped
//     signature on the root is required (reference = root ID). redirect_signature_*,
//     signature_*, key_not_trusted, reference_mismatch, ...
//  6. ID present, Version 2.0. logout_id_missing, logout_version.
//  7. IssueInstant well-formed and within the clock skew of now, either way.
//     logout_issue_instant_malformed, logout_issue_instant_stale, logout_issue_instant_future.
//  8. Destination equals our SingleLogoutService URL. logout_destination_mismatch.
// Then the message-specific checks (NameID, InResponseTo, Status) in the two public files.
//
// Pure functions, no clock of their own; safe from any thread on distinct inputs.
#pragma once

#include "saml/errors.hpp"
#include "saml/idp.hpp"
#include "saml/logout_request.hpp"
#include "saml/logout_response.hpp"
#include "saml/pending_request.hpp"
#include "saml/sp_profile.hpp"
#include "saml/xml_document.hpp"

#include <libxml/tree.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace varco::saml::logout {

inline constexpr std::size_t max_message_bytes = 64 * 1024;  // decoded XML; logouts are ~2 KiB

inline constexpr std::string_view status_prefix = "urn:oasis:names:tc:SAML:2.0:status:";
inline constexpr std::string_view status_success = "urn:oasis:names:tc:SAML:2.0:status:Success";
inline constexpr std::string_view status_requester = "urn:oasis:names:tc:SAML:2.0:status:Requester";
inline constexpr std::string_view status_partial_logout =
    "urn:oasis:names:tc:SAML:2.0:status:PartialLogout";
inline constexpr std::string_view name_id_entity =
    "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
inline constexpr std::string_view name_id_transient =
    "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";

struct expectations {
  std::string_view root_name;  // "LogoutRequest" or "LogoutResponse"
  const idp_set& idps;
  std::string_view destination;  // our slo_url
  sys_millis now{};
  std::chrono::milliseconds skew{};
};

// A logout message that passed checks 1–8. `root` belongs to `doc` and is the element the
// verified signature covers (POST) or the whole signed message (Redirect): read only it and its
// children.
struct incoming_message {
  std::optional<xml_document> doc;
  xmlNodePtr root = nullptr;
  const idp_descriptor* idp = nullptr;  // points into the idp_set given in expectations
  std::string id;
  sys_millis issue_instant{};
  std::string relay_state;  // Redirect: decoded from the query; POST: empty (the form has it)
};

// `param` is "SAMLRequest" or "SAMLResponse".
outcome<incoming_message> read_redirect(std::string_view raw_query, std::string_view param,
                                        const expectations& expect);
outcome<incoming_message> read_post(std::string_view base64_message, const expectations& expect);

// The single child `ns:local` of `parent`, null when absent; element_duplicated when repeated.
outcome<xmlNodePtr> single_child(const xmlNode* parent, std::string_view ns,
                                 std::string_view local);

// --- outgoing ---

// The IdP's SingleLogoutService for `binding` (binding_redirect / binding_post; empty = prefer
// Redirect); when the IdP offers only the other binding, that one. logout_no_slo_service when it
// offers neither.
outcome<const idp_endpoint*> choose_endpoint(const idp_descriptor& idp, std::string_view binding);

// A built document ready to go: the root carries an ID, `issuer` is its saml:Issuer child.
struct outgoing_message {
  xml_document doc;
  xmlNodePtr root = nullptr;
  xmlNodePtr issuer = nullptr;
};

struct sent_message {
  std::string xml;  // as sent: unsigned for Redirect (the query is signed), signed for POST
  std::string redirect_url;
  std::string post_form_html;
};

// Redirect: signs the query (param=deflated XML, RelayState, SigAlg) and appends it to
// `location`. POST: signs the root (enveloped, after the Issuer) and renders the auto-post form.
outcome<sent_message> send(outgoing_message& message, std::string_view param,
                           std::string_view binding, const std::string& location,
                           const std::string& relay_state, const sp_profile& sp);

// An empty document with root samlp:`name` (ID, Version, IssueInstant, Destination) and its
// saml:Issuer (Format entity, NameQualifier = SP entityID); `saml_ns` receives the saml namespace.
outcome<outgoing_message> start_message(const char* name, const sp_profile& sp,
                                        const std::string& id, sys_millis now,
                                        const std::string& destination, xmlNsPtr* samlp_ns,
                                        xmlNsPtr* saml_ns);

}  // namespace varco::saml::logout
