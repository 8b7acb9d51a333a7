// Shared by the Single Logout tests (logout_test.cpp: our messages and the IdP's LogoutResponse;
// logout_idp_request_test.cpp: the IdP's LogoutRequest and our answer): a fixed clock, the SP, two
// IdPs, and IdP messages built and signed here with the test IdP key.
#pragma once

#include "base/base64.hpp"
#include "saml/logout_request.hpp"
#include "saml/logout_response.hpp"
#include "saml/redirect_binding.hpp"
#include "saml/xml_document.hpp"
#include "saml/xml_names.hpp"
#include "saml/xml_signature.hpp"
#include "tests/unit/saml/testdata.hpp"

#include <gtest/gtest.h>

namespace varco::saml::test {

using namespace std::chrono_literals;

const sys_millis now{std::chrono::sys_days{std::chrono::year{2030} / 1 / 1}.time_since_epoch() +
                     10h};
constexpr std::string_view now_text = "2030-01-01T10:00:00.000Z";
constexpr std::string_view idp_id = "https://idp.example.it";
constexpr std::string_view slo_url = "https://area.example.it/saml/slo";

inline sp_profile make_sp() {
  sp_profile sp;
  sp.entity_id = "https://area.example.it";
  sp.acs_url = "https://area.example.it/saml/acs";
  sp.slo_url = std::string(slo_url);
  sp.credentials = credentials("sp");
  return sp;
}

inline idp_descriptor make_idp(std::string entity_id, std::string_view signer = "idp") {
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
    if (signer.empty()) return base::base64_encode(xml());
    auto doc = parse_trusted_xml(xml());
    EXPECT_TRUE(doc) << doc.error();
    auto signed_ok = sign_enveloped(*doc, doc->root(), credentials(signer),
                                    first_child(doc->root(), ns::saml, "Issuer"));
    EXPECT_TRUE(signed_ok) << signed_ok.error();
    return base::base64_encode(doc->serialize());
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

}  // namespace varco::saml::test
