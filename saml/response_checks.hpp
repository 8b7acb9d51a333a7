// The checks validate_response runs, one small named function each, in the fixed order of
// response_checklist() (docs/saml.md "Response validation" lists them with their reasons).
//
// Each check looks at one thing, fails with its own reason codes, and may record what it found in
// the state for the checks after it. The order is part of the security argument:
// - nothing is interpreted before the document is parsed with the untrusted limits and every ID
//   in it is known to be unique;
// - the Response signature (when present) is verified before anything is read from the Response;
// - the Status is read before the assertion count (SPID anomaly responses carry no assertion);
// - the assertion is the single Assertion child of the Response root and its signature is
//   verified on that very node; from then on only that node and the root are read, by walking
//   their children, never by searching the document (signature wrapping, XSW1–XSW8).
// Exposed so tests can name each check and feed a message that violates exactly it.
#pragma once

#include "saml/authenticated_user.hpp"
#include "saml/errors.hpp"
#include "saml/response_validator.hpp"
#include "saml/xml_document.hpp"

#include <libxml/tree.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace varco::saml::checks {

// SAML and SPID values the checks compare with.
inline constexpr std::string_view name_id_format_entity =
    "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
inline constexpr std::string_view name_id_format_transient =
    "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
inline constexpr std::string_view status_success = "urn:oasis:names:tc:SAML:2.0:status:Success";
inline constexpr std::string_view status_responder = "urn:oasis:names:tc:SAML:2.0:status:Responder";
inline constexpr std::string_view confirmation_bearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
inline constexpr std::string_view spid_level_prefix = "https://www.spid.gov.it/SpidL";
inline constexpr std::string_view fiscal_number_prefix = "TINIT-";

// What the checks share while one Response is validated. Owned by validate_response.
struct validation_state {
  validation_state(std::string_view input_bytes, const response_expectations& expectations)
      : input(input_bytes), expect(expectations) {}

  std::string_view input;               // the decoded XML as received
  const response_expectations& expect;  // never null fields: validate_response asserts expect.idp
  // The parse received_response made before the checklist ran (nullopt when the input was over
  // max_bytes, or when a test runs the checks alone); check_parse takes it instead of parsing.
  std::optional<outcome<xml_document>> parsed;
  std::optional<xml_document> doc;  // after check_parse
  xmlNodePtr response = nullptr;    // the root samlp:Response, after check_root
  bool response_signed = false;     // a Response signature was present and verified
  // The single saml:Assertion child of the root, after check_assertion_count; covered by a
  // verified signature only after check_assertion_signature.
  xmlNodePtr assertion = nullptr;
  std::optional<sys_millis> subject_not_on_or_after;     // after check_subject_confirmation
  std::optional<sys_millis> conditions_not_on_or_after;  // after check_conditions
  authenticated_user user;                               // filled as the checks pass
};

using check_function = outcome<void> (*)(validation_state&);

struct named_check {
  std::string_view name;
  check_function run;
};

// Every check, in the order validate_response runs them.
std::span<const named_check> response_checklist();

// --- parsing and structure (checks/structure.cpp) ---
outcome<void> check_size(validation_state& s);        // message_too_large
outcome<void> check_parse(validation_state& s);       // malformed_xml, doctype_forbidden, too_deep
outcome<void> check_root(validation_state& s);        // not_a_response
outcome<void> check_ids_unique(validation_state& s);  // duplicate_id
// Exactly one saml:Assertion child of the root and no saml:EncryptedAssertion (SPID forbids
// encryption): assertion_count, encrypted_assertion_forbidden.
outcome<void> check_assertion_count(validation_state& s);

// --- signatures (checks/signature.cpp): the reasons of verify_enveloped_signature, the detail
// says "response" or "assertion" ---
outcome<void> check_response_signature(validation_state& s);   // only when one is present
outcome<void> check_assertion_signature(validation_state& s);  // also assertion_unsigned

// --- the Response element (checks/response.cpp) ---
outcome<void> check_response_id(validation_state& s);       // response_id_missing
outcome<void> check_response_version(validation_state& s);  // response_version
// response_issue_instant_malformed, _before_request, _future
outcome<void> check_response_issue_instant(validation_state& s);
outcome<void> check_response_destination(validation_state& s);     // destination_mismatch
outcome<void> check_response_in_response_to(validation_state& s);  // in_response_to_mismatch
outcome<void> check_response_issuer(validation_state& s);          // issuer_mismatch, issuer_format
// status_not_success, spid_anomaly (signed Responder + "ErrorCode nrNN"; detail "nrNN")
outcome<void> check_status(validation_state& s);

// --- the Assertion element (checks/assertion.cpp) ---
outcome<void> check_assertion_id(validation_state& s);       // assertion_id_missing
outcome<void> check_assertion_version(validation_state& s);  // assertion_version
// assertion_issue_instant_malformed, _before_request, _future
outcome<void> check_assertion_issue_instant(validation_state& s);
// assertion_issuer_mismatch, assertion_issuer_format
outcome<void> check_assertion_issuer(validation_state& s);

// --- Subject (checks/subject.cpp) ---
// name_id_missing, name_id_format, name_qualifier_missing, text_has_markup, element_duplicated
outcome<void> check_subject_name_id(validation_state& s);
// subject_confirmation_method, subject_confirmation_data_missing, recipient_mismatch,
// subject_in_response_to_mismatch, subject_not_on_or_after_malformed, subject_expired
outcome<void> check_subject_confirmation(validation_state& s);

// --- Conditions (checks/conditions.cpp) ---
// conditions_missing, conditions_malformed, conditions_not_yet_valid, conditions_expired
outcome<void> check_conditions(validation_state& s);
outcome<void> check_audience(validation_state& s);  // audience_mismatch

// --- AuthnStatement (checks/authn_statement.cpp) ---
// authn_context_missing, authn_context_invalid, authn_level_too_low, element_duplicated
outcome<void> check_authn_statement(validation_state& s);

// --- AttributeStatement (checks/attributes.cpp) ---
// attribute_statement_missing, attribute_statement_empty, attribute_malformed, text_has_markup,
// fiscal_number_format, element_duplicated
outcome<void> check_attributes(validation_state& s);

// --- helpers shared by the checks (checks/common.cpp) ---

// xs:dateTime in UTC ("Z" or "+00:00"), strict; fractional seconds truncated to milliseconds.
std::optional<sys_millis> parse_utc_instant(std::string_view text);

// The IssueInstant attribute of `element` (Response or Assertion): present, strict UTC, not before
// the request's IssueInstant and not in the future, both with the clock skew. Returns the instant.
struct instant_reasons {
  reason malformed, before_request, future;
};
outcome<sys_millis> check_issue_instant(const xmlNode* element, const response_expectations& expect,
                                        const instant_reasons& reasons);

// The single saml:Issuer child of `parent` equals the IdP's entityID; its Format is the entity
// format, or absent when `format_required` is false.
struct issuer_reasons {
  reason mismatch, format;
};
outcome<void> check_issuer_element(const xmlNode* parent, const response_expectations& expect,
                                   bool format_required, const issuer_reasons& reasons);

// The only child element `ns:local` of `parent`: null when there is none, element_duplicated
// when there are several (SAML or SPID allows it once; reading the first would let a second one
// go unseen).
outcome<xmlNodePtr> single_child(const xmlNode* parent, std::string_view ns,
                                 std::string_view local);

// A value from the message made safe for a log line: at most 80 characters, controls replaced.
std::string log_safe(std::string_view untrusted);

}  // namespace varco::saml::checks
