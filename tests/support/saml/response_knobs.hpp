// SPID Responses as text, built from a struct of knobs: the unit tests of saml/ flip one knob at a
// time away from a Response that validate_response accepts (tests/unit/saml/response_builder.hpp
// signs them like an IdP), and the login load tool (bench/) sets the knobs for each login and signs
// with saml::sign_enveloped.
//
// Defaults: the IdP "https://idp.example.it/", the SP "https://sp.example.it/", request
// "_req-4f1c9e", every instant relative to test_now(). An optional string knob set to nullopt
// omits that attribute or element; string values are written into the XML as they are (so a test
// can put markup in a NameID), the defaults need no escaping.
#pragma once

#include "saml/response_validator.hpp"
#include "saml/xml_document.hpp"
#include "saml/xml_names.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace varco::saml::test {

inline constexpr std::string_view test_idp_entity_id = "https://idp.example.it/";
inline constexpr std::string_view test_sp_entity_id = "https://sp.example.it/";
inline constexpr std::string_view test_acs_url = "https://sp.example.it/saml/acs";
inline constexpr std::string_view test_request_id = "_req-4f1c9e";
inline constexpr std::string_view test_response_id = "_resp-7b21d0";
inline constexpr std::string_view test_assertion_id = "_assert-93ac5e";

sys_millis test_now();              // 2024-05-06T10:00:00Z
sys_millis test_request_instant();  // test_now() - 10 s
// "2024-05-06T10:00:00Z" (with ".123" when millis is true and the instant has them).
std::string utc(sys_millis instant, bool millis = false);
std::string utc_from_now(std::chrono::milliseconds offset);  // utc(test_now() + offset)

// How a signature is made: the defaults are what SPID IdPs do.
struct signature_knobs {
  std::string signer = "idp";  // testdata/<signer>.key and .crt
  std::string_view signature_method = algorithm::rsa_sha256;
  std::string_view digest_method = algorithm::sha256;
  bool key_info = true;  // KeyInfo/X509Data/X509Certificate with the signer's certificate
  // Appended to the Reference's transforms (after enveloped + exc-c14n): algorithm::xpath or
  // algorithm::xslt, with a harmless expression / identity stylesheet.
  std::optional<std::string_view> extra_transform;
};

struct response_knobs {
  bool xml_declaration = false;

  // samlp:Response
  std::optional<std::string> response_id = std::string(test_response_id);
  std::optional<std::string> response_version = "2.0";
  std::optional<std::string> response_issue_instant = utc_from_now(std::chrono::seconds(-1));
  std::optional<std::string> in_response_to = std::string(test_request_id);
  std::optional<std::string> destination = std::string(test_acs_url);
  std::optional<std::string> response_issuer = std::string(test_idp_entity_id);
  std::optional<std::string> response_issuer_format =
      "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
  std::optional<std::string> status_code = "urn:oasis:names:tc:SAML:2.0:status:Success";
  std::optional<std::string> status_sub_code;  // nested StatusCode Value
  std::optional<std::string> status_message;
  bool include_assertion = true;
  bool encrypted_assertion = false;  // adds a saml:EncryptedAssertion after the Assertion

  // saml:Assertion
  std::optional<std::string> assertion_id = std::string(test_assertion_id);
  std::optional<std::string> assertion_version = "2.0";
  std::optional<std::string> assertion_issue_instant = utc_from_now(std::chrono::seconds(-1));
  std::optional<std::string> assertion_issuer = std::string(test_idp_entity_id);
  std::optional<std::string> assertion_issuer_format =
      "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";

  // saml:Subject
  bool include_subject = true;
  std::optional<std::string> name_id = "_nameid-5d0e2a";  // element content, as written
  std::optional<std::string> name_id_format = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
  std::optional<std::string> name_qualifier = std::string(test_idp_entity_id);
  bool include_subject_confirmation = true;
  std::optional<std::string> confirmation_method = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
  bool include_confirmation_data = true;
  std::optional<std::string> recipient = std::string(test_acs_url);
  std::optional<std::string> subject_in_response_to = std::string(test_request_id);
  std::optional<std::string> subject_not_on_or_after = utc_from_now(std::chrono::minutes(5));

  // saml:Conditions
  bool include_conditions = true;
  std::optional<std::string> not_before = utc_from_now(std::chrono::seconds(-1));
  std::optional<std::string> not_on_or_after = utc_from_now(std::chrono::minutes(5));
  bool include_audience_restriction = true;
  std::optional<std::string> audience = std::string(test_sp_entity_id);

  // saml:AuthnStatement
  bool include_authn_statement = true;
  std::optional<std::string> session_index = "_session-81f3";
  std::optional<std::string> authn_instant = utc_from_now(std::chrono::seconds(-2));
  std::optional<std::string> authn_context_class_ref = "https://www.spid.gov.it/SpidL2";

  // saml:AttributeStatement (values are element content, as written)
  bool include_attribute_statement = true;
  std::vector<std::pair<std::string, std::string>> attributes = {
      {"spidCode", "SPID-0001"},
      {"name", "Mario"},
      {"familyName", "Rossi"},
      {"fiscalNumber", "TINIT-RSSMRA80A01H501U"},
      {"email", "mario.rossi@example.it"},
  };

  // Runs on the parsed document before anything is signed: for shapes the knobs do not cover
  // (a second NameID, two values in one Attribute) that the signatures must still cover.
  std::function<void(xml_document&)> before_signing;

  // Signing: the Assertion first, then the Response (which then covers the signed Assertion).
  bool sign_assertion = true;
  bool sign_response = true;
  signature_knobs assertion_signature;
  signature_knobs response_signature;
};

// The Response as text, before any signature.
std::string response_xml(const response_knobs& knobs);

}  // namespace varco::saml::test
