// Single Logout (RULES.md §4): our LogoutRequest and LogoutResponse through both bindings, checked
// by independent verifiers (xmlsec1, openssl dgst), and the IdP's messages, made here with the
// test IdP key, read back — each refusal with the message that violates exactly its check.
#include "base/base64.hpp"
#include "tests/unit/saml/logout_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::saml::test {
namespace {

TEST_F(logout_test, redirect_logout_request_carries_the_spid_fields_and_a_verifiable_query) {
  auto built = build_logout_request(
      sp_, {&idp_, "_transient-42", "", "_session-7", now, std::string(binding_redirect), "rs"});
  ASSERT_TRUE(built) << built.error();
  EXPECT_EQ(built->binding, binding_redirect);
  EXPECT_TRUE(built->post_form_html.empty());
  // The SLO URL's own query is kept.
  const std::string prefix = std::string(idp_id) + "/slo?x=1&";
  ASSERT_EQ(built->redirect_url.rfind(prefix, 0), 0u) << built->redirect_url;
  auto message = verify_redirect_query(built->redirect_url.substr(prefix.size()), {cert("sp")});
  ASSERT_TRUE(message) << message.error();
  EXPECT_EQ(message->param, "SAMLRequest");
  EXPECT_EQ(message->relay_state, "rs");
  EXPECT_EQ(message->xml, built->xml);

  auto doc = parse_untrusted_xml(built->xml);
  ASSERT_TRUE(doc) << doc.error();
  xmlNodePtr root = doc->root();
  ASSERT_TRUE(is_element(root, ns::samlp, "LogoutRequest"));
  EXPECT_EQ(attribute(root, "ID"), built->id);
  EXPECT_EQ(attribute(root, "Version"), "2.0");
  EXPECT_EQ(attribute(root, "IssueInstant"), now_text);
  EXPECT_EQ(attribute(root, "Destination"), std::string(idp_id) + "/slo?x=1");
  xmlNodePtr issuer = first_child(root, ns::saml, "Issuer");
  ASSERT_NE(issuer, nullptr);
  EXPECT_EQ(strict_text(issuer).value(), sp_.entity_id);
  EXPECT_EQ(attribute(issuer, "Format"), "urn:oasis:names:tc:SAML:2.0:nameid-format:entity");
  EXPECT_EQ(attribute(issuer, "NameQualifier"), sp_.entity_id);
  xmlNodePtr name_id = first_child(root, ns::saml, "NameID");
  ASSERT_NE(name_id, nullptr);
  EXPECT_EQ(strict_text(name_id).value(), "_transient-42");
  EXPECT_EQ(attribute(name_id, "Format"), "urn:oasis:names:tc:SAML:2.0:nameid-format:transient");
  EXPECT_EQ(attribute(name_id, "NameQualifier"), idp_id);  // defaulted to the IdP
  xmlNodePtr index = first_child(root, ns::samlp, "SessionIndex");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(strict_text(index).value(), "_session-7");
  EXPECT_FALSE(has_signature(root));  // the query is signed, not the XML
}

TEST_F(logout_test, post_logout_request_is_signed_enveloped_and_verifies_with_xmlsec1) {
  auto built = build_logout_request(sp_, {&idp_, "_transient-42", "https://nq.example.it", "", now,
                                          std::string(binding_post), "rs"});
  ASSERT_TRUE(built) << built.error();
  EXPECT_TRUE(built->redirect_url.empty());
  EXPECT_NE(built->post_form_html.find("action=\"https://idp.example.it/slo/post\""),
            std::string::npos);
  EXPECT_NE(built->post_form_html.find(base::base64_encode(built->xml)), std::string::npos);

  auto doc = parse_untrusted_xml(built->xml);
  ASSERT_TRUE(doc) << doc.error();
  EXPECT_EQ(first_child(doc->root(), ns::samlp, "SessionIndex"), nullptr);  // unknown: omitted
  EXPECT_EQ(attribute(first_child(doc->root(), ns::saml, "NameID"), "NameQualifier"),
            "https://nq.example.it");
  EXPECT_TRUE(verify_enveloped_signature(*doc, doc->root(), {cert("sp")}));

  temp_dir dir;
  write_file(dir.path() / "request.xml", built->xml);
  std::string output;
  EXPECT_EQ(run("xmlsec1 --verify --pubkey-cert-pem " + testdata_path("sp.crt").string() +
                    " --id-attr:ID urn:oasis:names:tc:SAML:2.0:protocol:LogoutRequest " +
                    (dir.path() / "request.xml").string(),
                &output),
            0)
      << output;
}

TEST_F(logout_test, logout_request_uses_the_binding_the_idp_offers) {
  idp_descriptor post_only = make_idp("https://postonly.example.it");
  post_only.single_logout.erase(post_only.single_logout.begin());
  auto built = build_logout_request(sp_, {&post_only, "_n", "", "", now, "", ""});
  ASSERT_TRUE(built) << built.error();
  EXPECT_EQ(built->binding, binding_post);
  EXPECT_FALSE(built->post_form_html.empty());

  idp_descriptor cie_like = make_idp("https://cie.example.it");
  cie_like.single_logout.clear();
  auto none = build_logout_request(sp_, {&cie_like, "_n", "", "", now, "", ""});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, reason::logout_no_slo_service);

  auto no_name = build_logout_request(sp_, {&idp_, "", "", "", now, "", ""});
  ASSERT_FALSE(no_name);
  EXPECT_EQ(no_name.error().code, reason::internal_error);
}

// --- the IdP's LogoutResponse ---

TEST_F(logout_test, idp_logout_response_round_trips_through_both_bindings) {
  idp_message m;
  auto r = response_redirect(m);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->in_response_to, "_ours");
  EXPECT_EQ(r->issuer, idp_id);
  EXPECT_EQ(r->status, "urn:oasis:names:tc:SAML:2.0:status:Success");
  EXPECT_TRUE(r->success);
  EXPECT_EQ(r->relay_state, "r1");

  auto p = response_post(m);
  ASSERT_TRUE(p) << p.error();
  EXPECT_EQ(p->in_response_to, "_ours");
  EXPECT_TRUE(p->success);
}

TEST_F(logout_test, partial_logout_counts_as_done_and_other_failures_do_not) {
  idp_message m;
  m.status = "urn:oasis:names:tc:SAML:2.0:status:Requester";
  m.sub_status = "urn:oasis:names:tc:SAML:2.0:status:PartialLogout";
  auto partial = response_post(m);
  ASSERT_TRUE(partial) << partial.error();
  EXPECT_TRUE(partial->success);
  EXPECT_EQ(partial->sub_status, "urn:oasis:names:tc:SAML:2.0:status:PartialLogout");

  m.status = "urn:oasis:names:tc:SAML:2.0:status:Responder";
  m.sub_status.clear();
  auto failed = response_redirect(m);
  ASSERT_TRUE(failed) << failed.error();  // a well-formed answer: the caller logs, not refuses
  EXPECT_FALSE(failed->success);
  EXPECT_EQ(failed->status, "urn:oasis:names:tc:SAML:2.0:status:Responder");
}

TEST_F(logout_test, unsigned_logout_response_is_refused) {
  idp_message m;
  auto r = response_redirect(m, "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, reason::redirect_signature_missing);
  auto p = response_post(m, "");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, reason::signature_missing);
}

TEST_F(logout_test, logout_response_signed_by_another_key_is_refused) {
  idp_message m;
  auto r = response_redirect(m, "attacker");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, reason::redirect_signature_invalid);
  auto p = response_post(m, "attacker");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, reason::key_not_trusted);
  // Another loaded IdP's key does not vouch for this one either.
  auto q = response_post(m, "sp");
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().code, reason::key_not_trusted);
}

TEST_F(logout_test, tampered_post_logout_response_is_refused) {
  idp_message m;
  auto decoded = decode_base64(m.post_b64(), 1 << 16);
  ASSERT_TRUE(decoded);
  std::string xml = *decoded;
  xml.replace(xml.find("_ours"), 5, "_evil");
  auto p = read_logout_response_post(base::base64_encode(xml), idps_, slo_url, now, 30s);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, reason::signature_invalid);
}

TEST_F(logout_test, unknown_or_missing_issuer_is_refused) {
  idp_message m;
  m.issuer = "https://unknown.example.it";
  expect_refused(m, reason::logout_unknown_issuer);
  m.issuer.clear();
  expect_refused(m, reason::logout_unknown_issuer);
}

TEST_F(logout_test, wrong_or_missing_destination_is_refused) {
  idp_message m;
  m.destination = "https://other-sp.example.it/saml/slo";
  expect_refused(m, reason::logout_destination_mismatch);
  m.destination.clear();
  expect_refused(m, reason::logout_destination_mismatch);
}

TEST_F(logout_test, issue_instant_outside_the_skew_is_refused) {
  idp_message m;
  m.issue_instant = "2030-01-01T09:59:29Z";  // 31 s old
  expect_refused(m, reason::logout_issue_instant_stale);
  m.issue_instant = "2030-01-01T09:59:31Z";  // 29 s old: fine
  EXPECT_TRUE(response_post(m));
  m.issue_instant = "2030-01-01T10:00:31Z";
  expect_refused(m, reason::logout_issue_instant_future);
  m.issue_instant = "yesterday";
  expect_refused(m, reason::logout_issue_instant_malformed);
}

TEST_F(logout_test, header_fields_are_checked) {
  idp_message m;
  m.version = "1.1";
  expect_refused(m, reason::logout_version);
  m = {};
  m.in_response_to.clear();
  expect_refused(m, reason::logout_in_response_to_missing);
  // Without an ID the POST signature has nothing to reference; the query signature still holds.
  m = {};
  m.id.clear();
  auto r = response_redirect(m);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, reason::logout_id_missing);
}

TEST_F(logout_test, hostile_documents_are_refused) {
  idp_message m;
  m.prolog = "<!DOCTYPE x [<!ENTITY e \"boom\">]>";
  auto r = read_logout_response_redirect(m.redirect_query(), idps_, slo_url, now, 30s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, reason::doctype_forbidden);

  m = {};
  m.extra = "<samlp:Extensions><x ID=\"_idp1\"/></samlp:Extensions>";  // duplicate ID
  auto d = read_logout_response_redirect(m.redirect_query(), idps_, slo_url, now, 30s);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, reason::duplicate_id);

  // A LogoutRequest where a LogoutResponse is expected, and the other way round.
  auto wrong = read_logout_response_redirect(request().redirect_query(), idps_, slo_url, now, 30s);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, reason::logout_wrong_message);
  auto wrong_post = read_logout_request_post(idp_message{}.post_b64(), idps_, slo_url, now, 30s);
  ASSERT_FALSE(wrong_post);
  EXPECT_EQ(wrong_post.error().code, reason::logout_wrong_message);

  auto garbage = read_logout_response_post("!!!", idps_, slo_url, now, 30s);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, reason::bad_encoding);
}

}  // namespace
}  // namespace varco::saml::test
