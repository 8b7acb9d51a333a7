// The SAML Response received at the ACS, validated against the AuthnRequest it answers
// (RULES.md §3). The checks run in a fixed order (saml/response_checks.hpp, docs/saml.md
// "Response validation"); the first that fails decides the reason code.
//
// Pure: no I/O, no clock (`now` is given), no global state besides the libxml2/xmlsec library
// initialised once in main. Safe to call from any thread on distinct inputs.
//
// What it does NOT do, because it needs state the gateway has: find the pending request (by
// RelayState) and check it is unexpired, single-use and bound to this browser; remember the
// assertion ID until assertion_not_on_or_after (replay); write the audit record.
#pragma once

#include "saml/authenticated_user.hpp"
#include "saml/errors.hpp"
#include "saml/idp.hpp"
#include "saml/pending_request.hpp"
#include "saml/xml_document.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace varco::saml {

struct response_expectations {
  std::string request_id;        // the pending AuthnRequest ID
  sys_millis request_instant{};  // its IssueInstant
  const idp_descriptor* idp =
      nullptr;  // the IdP the request went to (certificates from its metadata)
  provider_kind kind = provider_kind::spid;
  int requested_level = 2;             // 1..3
  std::string comparison = "minimum";  // exact | minimum | better | maximum
  std::string acs_url;                 // Destination and Recipient
  std::string sp_entity_id;            // Audience
  sys_millis now{};
  std::chrono::milliseconds clock_skew{std::chrono::seconds(30)};
  std::size_t max_bytes = 64 * 1024;  // of the decoded XML
};

// What a Response claims about itself, read WITHOUT any verification, for logging and the audit
// record of a refused login. Never use it to decide anything.
struct response_envelope {
  std::string id;
  std::string in_response_to;
  std::string issuer;
  std::string issue_instant;
};

// The Response as received, parsed once with the untrusted parser limits: the ACS reads its
// envelope for the audit record and later validates the same document, so untrusted input goes
// through the parser once. Move-only; validate_response consumes it (the checks register the IDs
// in the document and verify signatures on it). Holds a view of `xml`: the caller keeps the bytes
// alive until validate_response returns.
class received_response {
 public:
  // Parses only when `xml` is within max_bytes: a larger one is refused by check_size, before any
  // parse, exactly as when validate_response is given the bytes.
  received_response(std::string_view xml, std::size_t max_bytes);

  // Nullopt when the input is not a well-formed samlp:Response within max_bytes.
  const std::optional<response_envelope>& envelope() const { return envelope_; }

 private:
  friend outcome<authenticated_user> validate_response(received_response response,
                                                       const response_expectations& expect);

  std::string_view xml_;
  std::size_t max_bytes_;
  std::optional<outcome<xml_document>> parsed_;  // nullopt: over max_bytes, never parsed
  std::optional<response_envelope> envelope_;
};

// Runs the checklist on a Response parsed with `expect.max_bytes` (a broken invariant otherwise:
// the parse must be the one check_parse would have made). `expect.idp` must not be null (the
// caller looked the IdP up from the pending request).
outcome<authenticated_user> validate_response(received_response response,
                                              const response_expectations& expect);

// `saml_response_xml` is the SAMLResponse form field already base64-decoded; parsed here.
outcome<authenticated_user> validate_response(std::string_view saml_response_xml,
                                              const response_expectations& expect);

// The envelope alone (same parser limits as validate_response), for callers that never validate.
std::optional<response_envelope> peek_response(std::string_view xml,
                                               std::size_t max_bytes = 64 * 1024);

}  // namespace varco::saml
