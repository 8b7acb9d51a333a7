// The pieces of saml/response_checks.hpp on their own: the check order, strict instants, the
// defence-in-depth checks a whole Response cannot reach, log-safe details, and peek_response.
#include "saml/response_checks.hpp"

#include "response_builder.hpp"
#include "saml/response_validator.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace varco::saml {
namespace {

using namespace std::chrono_literals;

TEST(response_checks, run_in_the_documented_order) {
  std::vector<std::string_view> names;
  for (const auto& check : checks::response_checklist()) names.push_back(check.name);
  // docs/saml.md "Response validation" lists the same order.
  const std::vector<std::string_view> expected = {"size",
                                                  "parse",
                                                  "root",
                                                  "ids_unique",
                                                  "response_signature",
                                                  "response_id",
                                                  "response_version",
                                                  "response_issue_instant",
                                                  "response_in_response_to",
                                                  "response_destination",
                                                  "response_issuer",
                                                  "status",
                                                  "assertion_count",
                                                  "assertion_signature",
                                                  "assertion_id",
                                                  "assertion_version",
                                                  "assertion_issue_instant",
                                                  "assertion_issuer",
                                                  "subject_name_id",
                                                  "subject_confirmation",
                                                  "conditions",
                                                  "audience",
                                                  "authn_statement",
                                                  "attributes"};
  EXPECT_EQ(names, expected);
}

struct instant_case {
  const char* text;
  std::optional<sys_millis> expected;
};

sys_millis at_utc(int y, unsigned mo, unsigned d, int h, int mi, int s, int ms = 0) {
  return std::chrono::sys_days{std::chrono::year{y} / mo / d} + std::chrono::hours{h} +
         std::chrono::minutes{mi} + std::chrono::seconds{s} + std::chrono::milliseconds{ms};
}

TEST(response_checks, parse_utc_instant_is_strict) {
  const instant_case cases[] = {
      {"2024-05-06T10:00:00Z", at_utc(2024, 5, 6, 10, 0, 0)},
      {"2024-05-06T10:00:00.5Z", at_utc(2024, 5, 6, 10, 0, 0, 500)},
      {"2024-05-06T10:00:00.123Z", at_utc(2024, 5, 6, 10, 0, 0, 123)},
      {"2024-05-06T10:00:00.123999Z", at_utc(2024, 5, 6, 10, 0, 0, 123)},  // truncated
      {"2024-05-06T10:00:00+00:00", at_utc(2024, 5, 6, 10, 0, 0)},
      {"2024-02-29T23:59:59Z", at_utc(2024, 2, 29, 23, 59, 59)},
      {"2024-05-06T10:00:00", std::nullopt},        // no zone: local time of where?
      {"2024-05-06T12:00:00+02:00", std::nullopt},  // not UTC
      {"2024-05-06T10:00:00-00:00", std::nullopt},
      {"2024-05-06T10:00:00z", std::nullopt},
      {"2024-05-06T10:00:00.Z", std::nullopt},
      {"2024-05-06 10:00:00Z", std::nullopt},
      {"2024-5-06T10:00:00Z", std::nullopt},
      {"2023-02-29T10:00:00Z", std::nullopt},
      {"2024-13-01T10:00:00Z", std::nullopt},
      {"2024-05-06T24:00:00Z", std::nullopt},
      {"2024-05-06T10:60:00Z", std::nullopt},
      {"2024-05-06T10:00:60Z", std::nullopt},
      {"+2024-05-06T10:00:00Z", std::nullopt},
      {"2024-05-06T10:00:00Z ", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(checks::parse_utc_instant(c.text), c.expected) << c.text;
  }
}

TEST(response_checks, log_safe_truncates_and_blanks_controls) {
  EXPECT_EQ(checks::log_safe("a\nb\"c"), "\"a?b?c\"");
  const std::string long_value(200, 'x');
  EXPECT_EQ(checks::log_safe(long_value), "\"" + std::string(80, 'x') + "...\"");
}

// A state whose assertion is the Assertion of `xml`, as if every earlier check had passed.
struct assertion_state {
  explicit assertion_state(const std::string& xml)
      : expect(test::test_expectations()), state(xml, expect) {
    auto doc = parse_untrusted_xml(xml);
    EXPECT_TRUE(doc) << doc.error();
    state.doc.emplace(std::move(*doc));
    state.response = state.doc->root();
    state.assertion = first_child(state.response, ns::saml, "Assertion");
  }
  response_expectations expect;
  checks::validation_state state;
};

// Unreachable through validate_response (a signature reference needs the ID, so the signature
// check refuses first), kept so that a change of order cannot silently drop it.
TEST(response_checks, assertion_id_missing_on_its_own) {
  test::response_knobs knobs;
  knobs.assertion_id = std::nullopt;
  assertion_state s(test::response_xml(knobs));
  auto result = checks::check_assertion_id(s.state);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, reason::assertion_id_missing);
}

TEST(response_checks, assertion_without_id_is_refused_by_its_signature_first) {
  auto doc = test::build_response_document(
      test::response_knobs{.sign_assertion = false, .sign_response = false});
  xmlNodePtr assertion = first_child(doc.root(), ns::saml, "Assertion");
  test::sign_element(doc, assertion, {});
  xmlUnsetProp(assertion, reinterpret_cast<const xmlChar*>("ID"));
  auto result = validate_response(test::serialize(doc), test::test_expectations());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, reason::reference_mismatch) << result.error();
}

TEST(response_checks, peek_reads_the_envelope_without_verifying) {
  test::response_knobs knobs;
  knobs.response_signature.signer = "attacker";  // peek does not care
  auto envelope = peek_response(test::build_response(knobs));
  ASSERT_TRUE(envelope);
  EXPECT_EQ(envelope->id, test::test_response_id);
  EXPECT_EQ(envelope->in_response_to, test::test_request_id);
  EXPECT_EQ(envelope->issuer, test::test_idp_entity_id);
  EXPECT_EQ(envelope->issue_instant, "2024-05-06T09:59:59Z");
}

TEST(response_checks, peek_refuses_what_is_not_a_response) {
  EXPECT_FALSE(peek_response("not xml"));
  EXPECT_FALSE(peek_response("<x/>"));
  EXPECT_FALSE(
      peek_response("<!DOCTYPE r [<!ENTITY e \"x\">]><samlp:Response "
                    "xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"&e;\"/>"));
  EXPECT_FALSE(peek_response(test::build_response(), 1024));  // over its size limit
  auto minimal = peek_response(
      "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r\"/>");
  ASSERT_TRUE(minimal);
  EXPECT_EQ(minimal->id, "_r");
  EXPECT_EQ(minimal->issuer, "");
}

// The ACS reads the envelope and then validates the same parse: same outcome as from the bytes.
TEST(response_checks, a_received_response_is_validated_from_its_one_parse) {
  const std::string xml = test::build_response();
  const auto expect = test::test_expectations();
  received_response received(xml, expect.max_bytes);
  ASSERT_TRUE(received.envelope());
  EXPECT_EQ(received.envelope()->id, test::test_response_id);
  auto user = validate_response(std::move(received), expect);
  EXPECT_TRUE(user) << user.error();
}

TEST(response_checks, a_received_response_over_the_limit_is_never_parsed_and_refused_by_size) {
  const std::string xml = test::build_response();
  auto expect = test::test_expectations();
  expect.max_bytes = 1024;
  received_response received(xml, expect.max_bytes);
  EXPECT_FALSE(received.envelope());
  auto user = validate_response(std::move(received), expect);
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().code, reason::message_too_large);
}

TEST(response_checks, a_received_response_that_does_not_parse_fails_check_parse) {
  const auto expect = test::test_expectations();
  received_response received("<samlp:Response", expect.max_bytes);
  EXPECT_FALSE(received.envelope());
  auto user = validate_response(std::move(received), expect);
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().code, reason::malformed_xml);
}

}  // namespace
}  // namespace varco::saml
