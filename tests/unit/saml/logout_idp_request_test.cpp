// Single Logout (RULES.md §4), IdP-initiated: the IdP's LogoutRequest through both bindings, its
// checks, and our LogoutResponse verified by independent verifiers (xmlsec1, openssl dgst).
#include "tests/unit/saml/logout_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::saml::test {
namespace {

// --- IdP-initiated: the IdP's LogoutRequest and our LogoutResponse ---

TEST_F(logout_test, idp_logout_request_round_trips_through_both_bindings) {
  for (bool post : {false, true}) {
    auto r = post ? request_post(request()) : request_redirect(request());
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->id, "_idp1");
    EXPECT_EQ(r->issuer, idp_id);
    EXPECT_EQ(r->idp, &idp_);
    EXPECT_EQ(r->name_id, "_transient-42");
    EXPECT_EQ(r->name_qualifier, idp_id);
    EXPECT_EQ(r->session_indexes, (std::vector<std::string>{"_s1", "_s2"}));
    EXPECT_EQ(r->relay_state, post ? "" : "r1");
  }
}

TEST_F(logout_test, idp_logout_request_checks_name_id_and_not_on_or_after) {
  auto m = request();
  m.name_id.clear();
  auto no_name = request_redirect(m);
  ASSERT_FALSE(no_name);
  EXPECT_EQ(no_name.error().code, reason::logout_name_id_missing);

  m = request();
  m.not_on_or_after = "2030-01-01T09:58:00Z";
  auto expired = request_post(m);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, reason::logout_expired);
  m.not_on_or_after = "2030-01-01T10:05:00Z";
  EXPECT_TRUE(request_post(m));

  m = request();
  m.name_id = "_a<!-- x -->b";  // comment injection
  auto injected = request_post(m);
  ASSERT_FALSE(injected);
  EXPECT_EQ(injected.error().code, reason::text_has_markup);

  m = request();
  m.destination = "https://evil.example.it/slo";
  auto wrong = request_redirect(m);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, reason::logout_destination_mismatch);

  m = request();
  auto unsigned_request =
      read_logout_request_redirect(m.redirect_query(""), idps_, slo_url, now, 30s);
  ASSERT_FALSE(unsigned_request);
  EXPECT_EQ(unsigned_request.error().code, reason::redirect_signature_missing);
}

TEST_F(logout_test, post_logout_response_goes_to_the_slo_and_verifies_with_xmlsec1) {
  auto built =
      build_logout_response(sp_, idp_, "_idp1", "Success", now, std::string(binding_post), "r1");
  ASSERT_TRUE(built) << built.error();
  EXPECT_EQ(built->binding, binding_post);
  auto doc = parse_untrusted_xml(built->xml);
  ASSERT_TRUE(doc) << doc.error();
  xmlNodePtr root = doc->root();
  ASSERT_TRUE(is_element(root, ns::samlp, "LogoutResponse"));
  EXPECT_EQ(attribute(root, "InResponseTo"), "_idp1");
  EXPECT_EQ(attribute(root, "Destination"), "https://idp.example.it/slo/post");
  EXPECT_EQ(attribute(root, "IssueInstant"), now_text);
  EXPECT_EQ(attribute(root, "ID"), built->id);
  xmlNodePtr code = first_child(first_child(root, ns::samlp, "Status"), ns::samlp, "StatusCode");
  EXPECT_EQ(attribute(code, "Value"), "urn:oasis:names:tc:SAML:2.0:status:Success");
  EXPECT_EQ(attribute(first_child(root, ns::saml, "Issuer"), "NameQualifier"), sp_.entity_id);
  // Signature right after the Issuer.
  xmlNodePtr after_issuer = xmlNextElementSibling(first_child(root, ns::saml, "Issuer"));
  EXPECT_TRUE(is_element(after_issuer, ns::ds, "Signature"));
  EXPECT_NE(built->post_form_html.find("name=\"RelayState\""), std::string::npos);

  temp_dir dir;
  write_file(dir.path() / "response.xml", built->xml);
  std::string output;
  EXPECT_EQ(run("xmlsec1 --verify --pubkey-cert-pem " + testdata_path("sp.crt").string() +
                    " --id-attr:ID urn:oasis:names:tc:SAML:2.0:protocol:LogoutResponse " +
                    (dir.path() / "response.xml").string(),
                &output),
            0)
      << output;
  // And not with another key.
  EXPECT_NE(run("xmlsec1 --verify --pubkey-cert-pem " + testdata_path("idp.crt").string() +
                " --id-attr:ID urn:oasis:names:tc:SAML:2.0:protocol:LogoutResponse " +
                (dir.path() / "response.xml").string()),
            0);
}

TEST_F(logout_test, redirect_logout_response_goes_to_response_location_and_verifies_with_openssl) {
  auto built =
      build_logout_response(sp_, idp_, "_idp1", "urn:oasis:names:tc:SAML:2.0:status:Success", now,
                            std::string(binding_redirect), "r 1/é");
  ASSERT_TRUE(built) << built.error();
  const std::string prefix = std::string(idp_id) + "/slo/return?";
  ASSERT_EQ(built->redirect_url.rfind(prefix, 0), 0u) << built->redirect_url;
  const std::string query = built->redirect_url.substr(prefix.size());
  auto doc = parse_untrusted_xml(built->xml);
  ASSERT_TRUE(doc) << doc.error();
  EXPECT_EQ(attribute(doc->root(), "Destination"), "https://idp.example.it/slo/return");

  // The signed string is everything before "&Signature=" (SAML Bindings §3.4.4.1).
  const auto at = query.find("&Signature=");
  ASSERT_NE(at, std::string::npos);
  const std::string signed_part = query.substr(0, at);
  EXPECT_EQ(signed_part.rfind("SAMLResponse=", 0), 0u);
  EXPECT_NE(signed_part.find("&RelayState=r+1%2F%C3%A9&SigAlg="), std::string::npos) << signed_part;
  auto signature_text = percent_decode(query.substr(at + 11));
  ASSERT_TRUE(signature_text);
  auto signature = decode_base64(*signature_text, 4096);
  ASSERT_TRUE(signature);

  temp_dir dir;
  write_file(dir.path() / "signed.txt", signed_part);
  write_file(dir.path() / "signature.bin", *signature);
  std::string output;
  ASSERT_EQ(run("openssl x509 -pubkey -noout -in " + testdata_path("sp.crt").string() + " > " +
                (dir.path() / "sp.pub").string()),
            0);
  EXPECT_EQ(
      run("openssl dgst -sha256 -verify " + (dir.path() / "sp.pub").string() + " -signature " +
              (dir.path() / "signature.bin").string() + " " + (dir.path() / "signed.txt").string(),
          &output),
      0)
      << output;
  EXPECT_NE(output.find("Verified OK"), std::string::npos);
}

TEST_F(logout_test, logout_response_status_and_arguments) {
  auto responder = build_logout_response(sp_, idp_, "_idp1", "Responder", now, "", "");
  ASSERT_TRUE(responder) << responder.error();
  EXPECT_EQ(responder->binding, binding_redirect);
  EXPECT_NE(responder->xml.find("urn:oasis:names:tc:SAML:2.0:status:Responder"), std::string::npos);

  auto no_id = build_logout_response(sp_, idp_, "", "Success", now, "", "");
  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.error().code, reason::internal_error);

  auto bad_binding = build_logout_response(sp_, idp_, "_x", "Success", now, "SOAP", "");
  ASSERT_FALSE(bad_binding);
  EXPECT_EQ(bad_binding.error().code, reason::internal_error);
}

}  // namespace
}  // namespace varco::saml::test
