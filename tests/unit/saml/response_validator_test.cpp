// validate_response: the Response response_builder makes is accepted as it is and in the variants
// SPID allows; flipping any single knob away from it is refused with that check's reason.
#include "saml/response_validator.hpp"

#include "response_builder.hpp"
#include "saml/response_checks.hpp"
#include "saml/xml_names.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <initializer_list>
#include <string>

namespace varco::saml {
namespace {

using namespace std::chrono_literals;
using test::build_response;
using test::response_knobs;
using test::test_expectations;
using test::test_now;
using test::utc_from_now;

const xmlChar* xml(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

// The element reached from the root through children with these local names (any namespace).
xmlNodePtr at(const xml_document& doc, std::initializer_list<std::string_view> path) {
  xmlNodePtr node = doc.root();
  for (std::string_view local : path) {
    xmlNodePtr next = nullptr;
    for (xmlNodePtr c = node == nullptr ? nullptr : node->children; c != nullptr; c = c->next) {
      if (c->type == XML_ELEMENT_NODE && local == reinterpret_cast<const char*>(c->name)) {
        next = c;
        break;
      }
    }
    node = next;
  }
  EXPECT_NE(node, nullptr) << "path not found";
  return node;
}

// Copies an element right after itself.
void duplicate(xmlNodePtr element) {
  xmlAddNextSibling(element, xmlDocCopyNode(element, element->doc, 1));
}

outcome<authenticated_user> validate(const response_knobs& knobs,
                                     const response_expectations& expect = test_expectations()) {
  return validate_response(build_response(knobs), expect);
}

// ---------------------------------------------------------------------------------------------
// Accepted

TEST(response_validator, accepts_the_default_response_and_reports_the_user) {
  auto user = validate({});
  ASSERT_TRUE(user) << user.error();
  EXPECT_EQ(user->name_id, "_nameid-5d0e2a");
  EXPECT_EQ(user->name_qualifier, test::test_idp_entity_id);
  EXPECT_EQ(user->session_index, "_session-81f3");
  EXPECT_EQ(user->level, 2);
  EXPECT_EQ(user->issuer, test::test_idp_entity_id);
  EXPECT_EQ(user->response_id, test::test_response_id);
  EXPECT_EQ(user->assertion_id, test::test_assertion_id);
  EXPECT_EQ(user->response_issue_instant, test_now() - 1s);
  // The earlier of SubjectConfirmationData and Conditions NotOnOrAfter (both now + 5 min), plus
  // the 30 s skew during which the checks would still accept it.
  EXPECT_EQ(user->assertion_not_on_or_after, test_now() + 5min + 30s);
  const std::map<std::string, std::string, std::less<>> expected = {
      {"spidCode", "SPID-0001"},
      {"name", "Mario"},
      {"familyName", "Rossi"},
      {"fiscalNumber", "RSSMRA80A01H501U"},  // without TINIT-
      {"email", "mario.rossi@example.it"}};
  EXPECT_EQ(user->attributes, expected);
}

TEST(response_validator, replay_ttl_ends_at_the_earlier_not_on_or_after) {
  response_knobs k;
  k.not_on_or_after = utc_from_now(2min);
  auto user = validate(k);
  ASSERT_TRUE(user) << user.error();
  EXPECT_EQ(user->assertion_not_on_or_after, test_now() + 2min + 30s);
}

struct accepted_case {
  std::string name;
  std::function<void(response_knobs&, response_expectations&)> change;
};

void PrintTo(const accepted_case& c, std::ostream* os) { *os << c.name; }

class accepted : public ::testing::TestWithParam<accepted_case> {};

TEST_P(accepted, variant) {
  response_knobs knobs;
  response_expectations expect = test_expectations();
  GetParam().change(knobs, expect);
  auto user = validate(knobs, expect);
  ASSERT_TRUE(user) << user.error();
  EXPECT_EQ(user->assertion_id, test::test_assertion_id);
}

const accepted_case accepted_cases[] = {
    {"xml_declaration", [](auto& k, auto&) { k.xml_declaration = true; }},
    {"milliseconds_in_instants",
     [](auto& k, auto&) {
       k.response_issue_instant = test::utc(test_now() - 1500ms, true);
       k.assertion_issue_instant = test::utc(test_now() - 1500ms, true);
       k.subject_not_on_or_after = test::utc(test_now() + 5min + 250ms, true);
       k.not_before = test::utc(test_now() - 1500ms, true);
       k.not_on_or_after = test::utc(test_now() + 5min + 250ms, true);
     }},
    {"microseconds_in_instants",
     [](auto& k, auto&) { k.response_issue_instant = "2024-05-06T09:59:59.123456Z"; }},
    {"utc_written_as_offset", [](auto& k, auto&) { k.not_before = "2024-05-06T09:59:59+00:00"; }},
    {"higher_level_than_requested_minimum",
     [](auto& k, auto&) { k.authn_context_class_ref = "https://www.spid.gov.it/SpidL3"; }},
    {"higher_level_than_requested_exact",
     [](auto& k, auto& e) {
       e.comparison = "exact";
       k.authn_context_class_ref = "https://www.spid.gov.it/SpidL3";
     }},
    {"strictly_higher_level_for_better",
     [](auto& k, auto& e) {
       e.comparison = "better";
       k.authn_context_class_ref = "https://www.spid.gov.it/SpidL3";
     }},
    {"lower_level_for_maximum",
     [](auto& k, auto& e) {
       e.comparison = "maximum";
       k.authn_context_class_ref = "https://www.spid.gov.it/SpidL1";
     }},
    {"no_session_index", [](auto& k, auto&) { k.session_index = std::nullopt; }},
    {"no_response_signature", [](auto& k, auto&) { k.sign_response = false; }},
    {"response_signed_without_key_info",
     [](auto& k, auto&) {
       k.response_signature.key_info = false;
       k.assertion_signature.key_info = false;
     }},
    {"response_issuer_without_format",
     [](auto& k, auto&) { k.response_issuer_format = std::nullopt; }},
    {"cie_assertion_issuer_without_format",
     [](auto& k, auto& e) {
       e.kind = provider_kind::cie;
       k.assertion_issuer_format = std::nullopt;
     }},
    {"issue_instant_within_skew_before_the_request",
     [](auto& k, auto&) {
       k.response_issue_instant = test::utc(test::test_request_instant() - 29s);
     }},
    {"issue_instant_within_skew_in_the_future",
     [](auto& k, auto&) { k.assertion_issue_instant = utc_from_now(29s); }},
    {"subject_expired_within_skew",
     [](auto& k, auto&) { k.subject_not_on_or_after = utc_from_now(-29s); }},
    {"conditions_not_before_within_skew", [](auto& k, auto&) { k.not_before = utc_from_now(29s); }},
    {"rsa_sha512",
     [](auto& k, auto&) {
       k.assertion_signature.signature_method = algorithm::rsa_sha512;
       k.assertion_signature.digest_method = algorithm::sha512;
     }},
};

INSTANTIATE_TEST_SUITE_P(response_validator, accepted, ::testing::ValuesIn(accepted_cases),
                         [](const auto& info) { return info.param.name; });

// ---------------------------------------------------------------------------------------------
// Refused: each case flips one knob (or tampers once after signing) and names the reason.

using change_fn = std::function<void(response_knobs&, response_expectations&)>;
using tamper_fn = std::function<void(xml_document&)>;

struct rejected_case {
  std::string name;
  reason expected;
  change_fn change;
  tamper_fn after_signing = {};  // rearranges the signed document
  std::string detail = {};       // when set, the failure's detail must contain it
};

void PrintTo(const rejected_case& c, std::ostream* os) { *os << c.name; }

class rejected : public ::testing::TestWithParam<rejected_case> {};

TEST_P(rejected, with_its_reason) {
  const rejected_case& c = GetParam();
  response_knobs knobs;
  response_expectations expect = test_expectations();
  c.change(knobs, expect);
  std::string xml_text;
  if (c.after_signing) {
    xml_document doc = test::build_response_document(knobs);
    c.after_signing(doc);
    xml_text = test::serialize(doc);
  } else {
    xml_text = build_response(knobs);
  }
  auto user = validate_response(xml_text, expect);
  ASSERT_FALSE(user) << "accepted";
  EXPECT_EQ(reason_code(user.error().code), reason_code(c.expected)) << user.error();
  if (!c.detail.empty()) {
    EXPECT_NE(user.error().detail.find(c.detail), std::string::npos) << user.error();
  }
}

void no_change(response_knobs&, response_expectations&) {}
void unsigned_response(response_knobs& k, response_expectations&) { k.sign_response = false; }

// Markup inside a text value, as the comment-injection attack writes it.
constexpr const char* commented_name_id = "_nameid-5d0e2a<!---->.evil";

const rejected_case rejected_cases[] = {
    // parsing and structure
    {"size_cap", reason::message_too_large, [](auto&, auto& e) { e.max_bytes = 2048; }},
    {"root_not_a_response", reason::not_a_response, no_change,
     [](xml_document& d) { xmlNodeSetName(d.root(), xml("LogoutResponse")); }},
    {"duplicate_ids", reason::duplicate_id, no_change,
     [](xml_document& d) { xmlSetProp(d.root(), xml("ID"), xml("_assert-93ac5e")); }},

    // Response signature, when present
    {"response_signed_by_attacker", reason::key_not_trusted,
     [](auto& k, auto&) { k.response_signature.signer = "attacker"; }, {}, "response signature"},
    {"response_tampered_after_signing", reason::signature_invalid, no_change,
     [](xml_document& d) {
       xmlSetProp(d.root(), xml("Destination"), xml("https://evil.example/acs"));
     },
     "response signature"},

    // Response
    {"response_id_missing", reason::response_id_missing,
     [](auto& k, auto& e) { unsigned_response(k, e), k.response_id = std::nullopt; }},
    {"response_id_empty", reason::response_id_missing,
     [](auto& k, auto& e) { unsigned_response(k, e), k.response_id = ""; }},
    {"response_version", reason::response_version, [](auto& k, auto&) { k.response_version = "1.1"; }},
    {"response_version_missing", reason::response_version,
     [](auto& k, auto&) { k.response_version = std::nullopt; }},
    {"response_issue_instant_missing", reason::response_issue_instant_malformed,
     [](auto& k, auto&) { k.response_issue_instant = std::nullopt; }},
    {"response_issue_instant_malformed", reason::response_issue_instant_malformed,
     [](auto& k, auto&) { k.response_issue_instant = "2024-05-06 09:59:59Z"; }},
    {"response_issue_instant_without_zone", reason::response_issue_instant_malformed,
     [](auto& k, auto&) { k.response_issue_instant = "2024-05-06T09:59:59"; }},
    {"response_issue_instant_not_utc", reason::response_issue_instant_malformed,
     [](auto& k, auto&) { k.response_issue_instant = "2024-05-06T11:59:59+02:00"; }},
    {"response_issue_instant_before_request", reason::response_issue_instant_before_request,
     [](auto& k, auto&) { k.response_issue_instant = test::utc(test::test_request_instant() - 31s); }},
    {"response_issue_instant_future", reason::response_issue_instant_future,
     [](auto& k, auto&) { k.response_issue_instant = utc_from_now(31s); }},
    {"in_response_to_other_request", reason::in_response_to_mismatch,
     [](auto& k, auto&) { k.in_response_to = "_req-of-another-login"; }},
    {"in_response_to_missing", reason::in_response_to_mismatch,
     [](auto& k, auto&) { k.in_response_to = std::nullopt; }},
    {"destination_other", reason::destination_mismatch,
     [](auto& k, auto&) { k.destination = "https://other-sp.example.it/saml/acs"; }},
    {"destination_missing", reason::destination_mismatch,
     [](auto& k, auto&) { k.destination = std::nullopt; }},
    {"issuer_other", reason::issuer_mismatch,
     [](auto& k, auto&) { k.response_issuer = "https://other-idp.example.it/"; }},
    {"issuer_missing", reason::issuer_mismatch, [](auto& k, auto&) { k.response_issuer = std::nullopt; }},
    {"issuer_format", reason::issuer_format,
     [](auto& k, auto&) {
       k.response_issuer_format = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
     }},

    // Status
    {"status_requester", reason::status_not_success,
     [](auto& k, auto&) { k.status_code = "urn:oasis:names:tc:SAML:2.0:status:Requester"; }},
    {"status_missing_code", reason::status_not_success,
     [](auto& k, auto&) { k.status_code = std::nullopt; }},
    {"spid_anomaly_nr19", reason::spid_anomaly,
     [](auto& k, auto&) {
       k.status_code = "urn:oasis:names:tc:SAML:2.0:status:Responder";
       k.status_sub_code = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed";
       k.status_message = "ErrorCode nr19";
       k.include_assertion = false;
     },
     {}, "nr19"},
    {"spid_anomaly_unsigned_is_only_not_success", reason::status_not_success,
     [](auto& k, auto&) {
       k.status_code = "urn:oasis:names:tc:SAML:2.0:status:Responder";
       k.status_message = "ErrorCode nr22";
       k.include_assertion = false;
       k.sign_response = false;
     },
     {}, "unsigned"},
    {"responder_without_error_code", reason::status_not_success,
     [](auto& k, auto&) {
       k.status_code = "urn:oasis:names:tc:SAML:2.0:status:Responder";
       k.status_message = "something went wrong";
       k.include_assertion = false;
     }},

    // Assertion count and encryption
    {"no_assertion", reason::assertion_count, [](auto& k, auto&) { k.include_assertion = false; }},
    {"two_assertions", reason::assertion_count, unsigned_response,
     [](xml_document& d) {
       xmlNodePtr assertion = at(d, {"Assertion"});
       duplicate(assertion);
       xmlSetProp(assertion->next, xml("ID"), xml("_assert-second"));
     }},
    {"encrypted_assertion", reason::encrypted_assertion_forbidden,
     [](auto& k, auto&) { k.encrypted_assertion = true; }},

    // Assertion signature
    {"assertion_unsigned", reason::assertion_unsigned,
     [](auto& k, auto&) { k.sign_assertion = false; }},
    {"assertion_unsigned_response_unsigned", reason::assertion_unsigned,
     [](auto& k, auto&) { k.sign_assertion = false, k.sign_response = false; }},
    {"assertion_signed_by_attacker_inside_a_valid_response", reason::key_not_trusted,
     [](auto& k, auto&) { k.assertion_signature.signer = "attacker"; }, {}, "assertion signature"},
    {"assertion_tampered_after_signing", reason::signature_invalid, unsigned_response,
     [](xml_document& d) { xmlNodeSetContent(at(d, {"Assertion", "Subject", "NameID"}), xml("x")); },
     "assertion signature"},

    // Assertion
    {"assertion_version", reason::assertion_version,
     [](auto& k, auto&) { k.assertion_version = "1.0"; }},
    {"assertion_issue_instant_malformed", reason::assertion_issue_instant_malformed,
     [](auto& k, auto&) { k.assertion_issue_instant = "yesterday"; }},
    {"assertion_issue_instant_before_request", reason::assertion_issue_instant_before_request,
     [](auto& k, auto&) { k.assertion_issue_instant = test::utc(test::test_request_instant() - 1min); }},
    {"assertion_issue_instant_future", reason::assertion_issue_instant_future,
     [](auto& k, auto&) { k.assertion_issue_instant = utc_from_now(1h); }},
    {"assertion_issuer_other", reason::assertion_issuer_mismatch,
     [](auto& k, auto&) { k.assertion_issuer = "https://other-idp.example.it/"; }},
    {"assertion_issuer_missing", reason::assertion_issuer_mismatch,
     [](auto& k, auto&) { k.assertion_issuer = std::nullopt; }},
    {"assertion_issuer_format_missing_for_spid", reason::assertion_issuer_format,
     [](auto& k, auto&) { k.assertion_issuer_format = std::nullopt; }},
    {"assertion_issuer_format_wrong_for_cie", reason::assertion_issuer_format,
     [](auto& k, auto& e) {
       e.kind = provider_kind::cie;
       k.assertion_issuer_format = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
     }},

    // Subject
    {"subject_missing", reason::name_id_missing, [](auto& k, auto&) { k.include_subject = false; }},
    {"name_id_missing", reason::name_id_missing, [](auto& k, auto&) { k.name_id = std::nullopt; }},
    {"name_id_empty", reason::name_id_missing, [](auto& k, auto&) { k.name_id = ""; }},
    {"name_id_persistent", reason::name_id_format,
     [](auto& k, auto&) { k.name_id_format = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"; }},
    {"name_id_format_missing", reason::name_id_format,
     [](auto& k, auto&) { k.name_id_format = std::nullopt; }},
    {"name_qualifier_missing", reason::name_qualifier_missing,
     [](auto& k, auto&) { k.name_qualifier = std::nullopt; }},
    {"name_id_with_comment", reason::text_has_markup,
     [](auto& k, auto&) { k.name_id = commented_name_id; }},
    {"two_name_ids", reason::element_duplicated,
     [](auto& k, auto&) {
       k.before_signing = [](xml_document& d) { duplicate(at(d, {"Assertion", "Subject", "NameID"})); };
     }},
    {"subject_confirmation_missing", reason::subject_confirmation_method,
     [](auto& k, auto&) { k.include_subject_confirmation = false; }},
    {"subject_confirmation_holder_of_key", reason::subject_confirmation_method,
     [](auto& k, auto&) { k.confirmation_method = "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"; }},
    {"subject_confirmation_data_missing", reason::subject_confirmation_data_missing,
     [](auto& k, auto&) { k.include_confirmation_data = false; }},
    {"recipient_other", reason::recipient_mismatch,
     [](auto& k, auto&) { k.recipient = "https://other-sp.example.it/saml/acs"; }},
    {"recipient_missing", reason::recipient_mismatch, [](auto& k, auto&) { k.recipient = std::nullopt; }},
    {"subject_in_response_to_other", reason::subject_in_response_to_mismatch,
     [](auto& k, auto&) { k.subject_in_response_to = "_req-of-another-login"; }},
    {"subject_in_response_to_missing", reason::subject_in_response_to_mismatch,
     [](auto& k, auto&) { k.subject_in_response_to = std::nullopt; }},
    {"subject_not_on_or_after_missing", reason::subject_not_on_or_after_malformed,
     [](auto& k, auto&) { k.subject_not_on_or_after = std::nullopt; }},
    {"subject_not_on_or_after_malformed", reason::subject_not_on_or_after_malformed,
     [](auto& k, auto&) { k.subject_not_on_or_after = "2024-13-01T00:00:00Z"; }},
    {"subject_expired", reason::subject_expired,
     [](auto& k, auto&) { k.subject_not_on_or_after = utc_from_now(-31s); }},

    // Conditions
    {"conditions_missing", reason::conditions_missing,
     [](auto& k, auto&) { k.include_conditions = false; }},
    {"conditions_not_before_missing", reason::conditions_malformed,
     [](auto& k, auto&) { k.not_before = std::nullopt; }},
    {"conditions_not_on_or_after_missing", reason::conditions_malformed,
     [](auto& k, auto&) { k.not_on_or_after = std::nullopt; }},
    {"conditions_not_yet_valid", reason::conditions_not_yet_valid,
     [](auto& k, auto&) { k.not_before = utc_from_now(31s); }},
    {"conditions_expired", reason::conditions_expired,
     [](auto& k, auto&) { k.not_on_or_after = utc_from_now(-31s); }},
    {"audience_other", reason::audience_mismatch,
     [](auto& k, auto&) { k.audience = "https://other-sp.example.it/"; }},
    {"audience_missing", reason::audience_mismatch, [](auto& k, auto&) { k.audience = std::nullopt; }},
    {"audience_restriction_missing", reason::audience_mismatch,
     [](auto& k, auto&) { k.include_audience_restriction = false; }},
    {"second_audience_restriction_not_naming_us", reason::audience_mismatch,
     [](auto& k, auto&) {
       k.before_signing = [](xml_document& d) {
         xmlNodePtr restriction = at(d, {"Assertion", "Conditions", "AudienceRestriction"});
         duplicate(restriction);
         xmlNodeSetContent(restriction->next->children, xml("https://other-sp.example.it/"));
       };
     }},

    // AuthnStatement
    {"authn_statement_missing", reason::authn_context_missing,
     [](auto& k, auto&) { k.include_authn_statement = false; }},
    {"authn_context_class_ref_missing", reason::authn_context_missing,
     [](auto& k, auto&) { k.authn_context_class_ref = std::nullopt; }},
    {"authn_context_oasis_form", reason::authn_context_invalid,
     [](auto& k, auto&) { k.authn_context_class_ref = "urn:oasis:names:tc:SAML:2.0:ac:classes:SpidL2"; }},
    {"authn_context_unknown", reason::authn_context_invalid,
     [](auto& k, auto&) { k.authn_context_class_ref = "https://www.spid.gov.it/SpidL4"; }},
    {"level_lower_than_minimum", reason::authn_level_too_low,
     [](auto& k, auto&) { k.authn_context_class_ref = "https://www.spid.gov.it/SpidL1"; }},
    {"level_lower_than_exact", reason::authn_level_too_low,
     [](auto& k, auto& e) {
       e.comparison = "exact";
       k.authn_context_class_ref = "https://www.spid.gov.it/SpidL1";
     }},
    {"level_equal_for_better", reason::authn_level_too_low,
     [](auto&, auto& e) { e.comparison = "better"; }},
    {"two_authn_statements", reason::element_duplicated,
     [](auto& k, auto&) {
       k.before_signing = [](xml_document& d) { duplicate(at(d, {"Assertion", "AuthnStatement"})); };
     }},

    // AttributeStatement
    {"attribute_statement_missing", reason::attribute_statement_missing,
     [](auto& k, auto&) { k.include_attribute_statement = false; }},
    {"attribute_statement_empty", reason::attribute_statement_empty,
     [](auto& k, auto&) { k.attributes.clear(); }},
    {"attribute_value_with_comment", reason::text_has_markup,
     [](auto& k, auto&) { k.attributes[1].second = "Ma<!---->rio"; }},
    {"attribute_value_with_processing_instruction", reason::text_has_markup,
     [](auto& k, auto&) { k.attributes[1].second = "Ma<?pi x?>rio"; }},
    {"attribute_twice", reason::attribute_malformed,
     [](auto& k, auto&) { k.attributes.emplace_back("name", "Luigi"); }},
    {"attribute_two_values", reason::attribute_malformed,
     [](auto& k, auto&) {
       k.before_signing = [](xml_document& d) {
         duplicate(at(d, {"Assertion", "AttributeStatement", "Attribute", "AttributeValue"}));
       };
     }},
    {"fiscal_number_without_tinit", reason::fiscal_number_format,
     [](auto& k, auto&) { k.attributes[3].second = "RSSMRA80A01H501U"; }},
    {"fiscal_number_empty_code", reason::fiscal_number_format,
     [](auto& k, auto&) { k.attributes[3].second = "TINIT-"; }},
};

INSTANTIATE_TEST_SUITE_P(response_validator, rejected, ::testing::ValuesIn(rejected_cases),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace varco::saml
