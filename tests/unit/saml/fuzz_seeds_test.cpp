// Writes the seed corpora of tests/fuzz/saml_response_fuzz.cpp (with response_builder: Responses
// the fuzz target's expectations accept, and broken ones near each group of checks) and of
// tests/fuzz/redirect_query_fuzz.cpp (signed logout messages, valid and tampered). Disabled: run
// it only to regenerate the checked-in files,
//   varco_saml_tests --gtest_also_run_disabled_tests --gtest_filter='*write_fuzz_seeds*'
#include "response_builder.hpp"
#include "saml/redirect_binding.hpp"
#include "testdata.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace varco::saml {
namespace {

using namespace std::chrono_literals;
using test::response_knobs;

std::string with(const std::function<void(response_knobs&)>& change) {
  response_knobs knobs;
  change(knobs);
  return test::build_response(knobs);
}

// The seeds of tests/fuzz/corpus are built here, by the same builders as the validator's tests.
// Every run builds them all and checks the corpus holds each one; VARCO_WRITE_FUZZ_SEEDS=1 also
// (re)writes them into the corpus.
bool writing_seeds() {
  const char* env = std::getenv("VARCO_WRITE_FUZZ_SEEDS");
  return env != nullptr && std::string(env) == "1";
}

void emit_seed(const std::filesystem::path& dir, const std::string& name,
               const std::string& content) {
  ASSERT_FALSE(content.empty()) << name;
  if (writing_seeds()) test::write_file(dir / name, content);
  EXPECT_TRUE(std::filesystem::exists(dir / name) && std::filesystem::file_size(dir / name) > 0)
      << (dir / name) << " is missing: run with VARCO_WRITE_FUZZ_SEEDS=1";
}

TEST(fuzz_seeds, every_seed_builds_and_is_in_the_corpus) {
  const std::filesystem::path dir =
      test::testdata_path("").parent_path().parent_path().parent_path().parent_path() / "fuzz" /
      "corpus" / "saml_response";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  const std::vector<std::pair<std::string, std::string>> seeds = {
      {"valid.xml", test::build_response()},
      {"valid_assertion_signed_only.xml", with([](auto& k) { k.sign_response = false; })},
      {"valid_declaration_millis_l3.xml", with([](auto& k) {
         k.xml_declaration = true;
         k.response_issue_instant = test::utc(test::test_now() - 1500ms, true);
         k.authn_context_class_ref = "https://www.spid.gov.it/SpidL3";
         k.session_index = std::nullopt;
       })},
      {"anomaly_nr19.xml", with([](auto& k) {
         k.status_code = "urn:oasis:names:tc:SAML:2.0:status:Responder";
         k.status_sub_code = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed";
         k.status_message = "ErrorCode nr19";
         k.include_assertion = false;
       })},
      {"comment_in_name_id.xml", with([](auto& k) { k.name_id = "_nameid<!---->-5d0e2a"; })},
      {"encrypted_assertion.xml", with([](auto& k) { k.encrypted_assertion = true; })},
      {"attacker_signed.xml", with([](auto& k) {
         k.sign_response = false;
         k.assertion_signature.signer = "attacker";
       })},
      {"expired_wrong_audience.xml", with([](auto& k) {
         k.sign_response = false;
         k.not_on_or_after = test::utc_from_now(-1h);
         k.audience = "https://other.example.it/";
       })},
      {"doctype.xml", "<!DOCTYPE samlp:Response [<!ENTITY e \"x\">]>" + test::build_response()},
  };
  for (const auto& [name, xml] : seeds) emit_seed(dir, name, xml);

  const std::string logout_request =
      "<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
      "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_lr1\" Version=\"2.0\" "
      "IssueInstant=\"2024-05-06T10:00:00Z\"><saml:Issuer>https://idp.example.it/</saml:Issuer>"
      "<saml:NameID>_nameid-5d0e2a</saml:NameID></samlp:LogoutRequest>";
  const std::string logout_response =
      "<samlp:LogoutResponse xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_lo1\" "
      "Version=\"2.0\" InResponseTo=\"_lr0\" IssueInstant=\"2024-05-06T10:00:00Z\"><samlp:Status>"
      "<samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status>"
      "</samlp:LogoutResponse>";
  const std::filesystem::path redirect_dir = dir.parent_path() / "redirect_query";
  ASSERT_TRUE(std::filesystem::is_directory(redirect_dir)) << redirect_dir;
  const std::string signed_request =
      signed_redirect_query("SAMLRequest", logout_request, "relay-1", test::credentials("idp"));
  std::string tampered = signed_request;
  tampered[tampered.find("RelayState=") + 11] = 'X';
  const std::vector<std::pair<std::string, std::string>> queries = {
      {"logout_request_signed", signed_request},
      {"logout_response_signed",
       signed_redirect_query("SAMLResponse", logout_response, "", test::credentials("idp"))},
      {"attacker_signed",
       signed_redirect_query("SAMLRequest", logout_request, "r", test::credentials("attacker"))},
      {"relay_state_tampered", tampered},
      {"unsigned", signed_request.substr(0, signed_request.find("&SigAlg="))},
  };
  for (const auto& [name, query] : queries) emit_seed(redirect_dir, name, query);
}

}  // namespace
}  // namespace varco::saml
