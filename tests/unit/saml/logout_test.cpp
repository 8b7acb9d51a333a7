// Single Logout (RULES.md §4): our LogoutRequest and LogoutResponse through both bindings, checked
// by independent verifiers (xmlsec1, openssl dgst), and the IdP's messages, made here with the
// test IdP key, read back — each refusal with the message that violates exactly its check.
#include "saml/base64.hpp"
#include "saml/logout_request.hpp"
#include "saml/logout_response.hpp"
#include "saml/redirect_binding.hpp"
#include "saml/xml_document.hpp"
#include "saml/xml_names.hpp"
#include "saml/xml_signature.hpp"
#include "tests/unit/saml/testdata.hpp"

#include <gtest/gtest.h>

namespace varco::saml::test {
namespace {

using namespace std::chrono_literals;

const sys_millis now{std::chrono::sys_days{std::chrono::year{2030} / 1 / 1}.time_since_epoch() +
                     10h};
constexpr std::string_view now_text = "2030-01-01T10:00:00.000Z";
constexpr std::string_view idp_id = "https://idp.example.it";
constexpr std::string_view slo_url = "https://area.example.it/saml/slo";

sp_profile make_sp() {
  sp_profile sp;
  sp.entity_id = "https://area.example.it";
  sp.acs_url = "https://area.example.it/saml/acs";
  sp.slo_url = std::string(slo_url);
  sp.credentials = credentials("sp");
  return sp;
}

idp_descriptor make_idp(std::string entity_id, std::string_view signer = "idp") {
  idp_descriptor idp;
  idp.entity_id = std::move(entity_id);
  idp.signing_certificates = {cert(signer)};
  idp.single_sign_on = {{std::string(binding_redirect), idp.entity_id + "/sso", ""}};
  idp.single_logout = {
      {std::string(binding_redirect), idp.entity_id + "/slo?x=1", idp.entity_id + "/slo/return"},
      {std::string(binding_post), idp.entity_id + "/slo/post", ""}};
  return idp;
}

// What the IdP sends: every field may be spoiled by a test.
struct idp_message {
  std::string root = "LogoutResponse";
  std::string id = "_idp1";
  std::string version = "2.0";
  std::string issue_instant = std::string(now_text);
  std::string destination = std::string(slo_url);
  std::string issuer = std::string(idp_id);
  std::string in_response_to = "_ours";
  std::string status = "urn:oasis:names:tc:SAML:2.0:status:Success";
  std::string sub_status;
  std::string name_id = "_transient-42";
  std::vector<std::string> session_indexes = {"_s1", "_s2"};
  std::string not_on_or_after;
  std::string prolog;  // e.g. a DOCTYPE
  std::string extra;   // appended inside the root

  std::string xml() const {
    std::string out = "<?xml version=\"1.0\"?>" + prolog + "<samlp:" + root +
                      " xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\""
                      " xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"";
    if (!id.empty()) out += " ID=\"" + id + "\"";
    out += " Version=\"" + version + "\" IssueInstant=\"" + issue_instant + "\"";
    if (!destination.empty()) out += " Destination=\"" + destination + "\"";
    if (root == "LogoutResponse" && !in_response_to.empty()) {
      out += " InResponseTo=\"" + in_response_to + "\"";
    }
    if (!not_on_or_after.empty()) out += " NotOnOrAfter=\"" + not_on_or_after + "\"";
    out += ">";
    if (!issuer.empty()) {
      out += "<saml:Issuer Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:entity\">" + issuer +
             "</saml:Issuer>";
    }
    if (root == "LogoutResponse") {
      out += "<samlp:Status><samlp:StatusCode Value=\"" + status + "\">";
      if (!sub_status.empty()) out += "<samlp:StatusCode Value=\"" + sub_status + "\"/>";
      out += "</samlp:StatusCode></samlp:Status>";
    } else {
      if (!name_id.empty()) {
        out +=
            "<saml:NameID Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:transient\" "
            "NameQualifier=\"" +
            std::string(idp_id) + "\">" + name_id + "</saml:NameID>";
      }
      for (const auto& s : session_indexes)
        out += "<samlp:SessionIndex>" + s + "</samlp:SessionIndex>";
    }
    return out + extra + "</samlp:" + root + ">";
  }

  std::string param() const { return root == "LogoutResponse" ? "SAMLResponse" : "SAMLRequest"; }

  // Redirect binding, query signed by `signer` (empty: unsigned).
  std::string redirect_query(std::string_view signer = "idp") const {
    if (signer.empty()) {
      return param() + "=" + percent_encode(deflate_base64(xml())) + "&RelayState=r1";
    }
    return signed_redirect_query(param(), xml(), "r1", credentials(signer));
  }

  // POST binding, enveloped signature after the Issuer by `signer` (empty: unsigned).
  std::string post_b64(std::string_view signer = "idp") const {
    if (signer.empty()) return base64_encode(xml());
    auto doc = parse_trusted_xml(xml());
    EXPECT_TRUE(doc) << doc.error();
    auto signed_ok = sign_enveloped(*doc, doc->root(), credentials(signer),
                                    first_child(doc->root(), ns::saml, "Issuer"));
    EXPECT_TRUE(signed_ok) << signed_ok.error();
    return base64_encode(doc->serialize());
  }
};

class logout_test : public ::testing::Test {
 protected:
  outcome<logout_response_info> response_redirect(const idp_message& m,
                                                  std::string_view signer = "idp") {
    return read_logout_response_redirect(m.redirect_query(signer), idps_, slo_url, now, 30s);
  }
  outcome<logout_response_info> response_post(const idp_message& m,
                                              std::string_view signer = "idp") {
    return read_logout_response_post(m.post_b64(signer), idps_, slo_url, now, 30s);
  }
  outcome<idp_logout_request> request_redirect(const idp_message& m) {
    return read_logout_request_redirect(m.redirect_query(), idps_, slo_url, now, 30s);
  }
  outcome<idp_logout_request> request_post(const idp_message& m) {
    return read_logout_request_post(m.post_b64(), idps_, slo_url, now, 30s);
  }
  static idp_message request() {
    idp_message m;
    m.root = "LogoutRequest";
    return m;
  }

  // Both bindings refuse `m` with `expected`.
  void expect_refused(const idp_message& m, reason expected) {
    auto r = response_redirect(m);
    ASSERT_FALSE(r) << "Redirect accepted " << m.xml();
    EXPECT_EQ(r.error().code, expected) << "Redirect: " << r.error();
    auto p = response_post(m);
    ASSERT_FALSE(p) << "POST accepted " << m.xml();
    EXPECT_EQ(p.error().code, expected) << "POST: " << p.error();
  }

  sp_profile sp_ = make_sp();
  idp_set idps_{{make_idp(std::string(idp_id)), make_idp("https://other.example.it", "sp")}};
  const idp_descriptor& idp_ = *idps_.find(idp_id);
};

// --- SP-initiated: our LogoutRequest ---

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
  EXPECT_NE(built->post_form_html.find(base64_encode(built->xml)), std::string::npos);

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
  auto decoded = base64_decode(m.post_b64(), 1 << 16);
  ASSERT_TRUE(decoded);
  std::string xml = *decoded;
  xml.replace(xml.find("_ours"), 5, "_evil");
  auto p = read_logout_response_post(base64_encode(xml), idps_, slo_url, now, 30s);
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
  auto signature = base64_decode(*signature_text, 4096);
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
