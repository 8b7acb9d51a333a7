// Writes the seed corpus of tests/fuzz/saml_response_fuzz.cpp with response_builder: Responses the
// fuzz target's expectations accept, and broken ones near each group of checks. Disabled: run it
// only to regenerate the checked-in files,
//   varco_saml_tests --gtest_also_run_disabled_tests --gtest_filter='*write_fuzz_seeds*'
#include "response_builder.hpp"
#include "testdata.hpp"

#include <gtest/gtest.h>

#include <chrono>
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

TEST(fuzz_seeds, DISABLED_write_fuzz_seeds) {
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
  for (const auto& [name, xml] : seeds) test::write_file(dir / name, xml);
}

}  // namespace
}  // namespace varco::saml
