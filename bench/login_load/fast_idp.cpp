#include "bench/login_load/fast_idp.hpp"

#include "saml/xml_document.hpp"
#include "saml/xml_names.hpp"
#include "saml/xml_signature.hpp"
#include "tests/support/saml/response_knobs.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <utility>

namespace varco::bench {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view protocol_ns = "urn:oasis:names:tc:SAML:2.0:protocol";

std::string text_of(const xmlNode* element) {
  auto text = element ? saml::strict_text(element) : saml::outcome<std::string>(std::string());
  return text ? std::move(*text) : std::string();
}

// Eight random hex digits: short, since every ID lands in varco's audit log, and unlikely to
// repeat in the few runs one varco serves.
std::string run_id() {
  std::random_device random;
  std::array<char, 9> hex{};
  std::snprintf(hex.data(), hex.size(), "%08x", static_cast<unsigned>(random()));
  return hex.data();
}

}  // namespace

saml::outcome<authn_request_fields> read_authn_request(std::string_view xml) {
  auto doc = saml::parse_untrusted_xml(xml);
  if (!doc) return doc.error();
  const xmlNode* root = doc->root();
  if (!saml::is_element(root, protocol_ns, "AuthnRequest"))
    return saml::failure{saml::reason::bad_encoding, "not an AuthnRequest"};
  authn_request_fields fields;
  fields.id = saml::attribute(root, "ID").value_or("");
  fields.sp_entity_id = text_of(saml::first_child(root, saml::ns::saml, "Issuer"));
  if (fields.id.empty() || fields.sp_entity_id.empty())
    return saml::failure{saml::reason::bad_encoding, "AuthnRequest without ID or Issuer"};
  const xmlNode* context = saml::first_child(root, protocol_ns, "RequestedAuthnContext");
  const xmlNode* class_ref =
      context ? saml::first_child(context, saml::ns::saml, "AuthnContextClassRef") : nullptr;
  fields.class_ref = class_ref ? text_of(class_ref) : std::string("https://www.spid.gov.it/SpidL2");
  return fields;
}

fast_idp::fast_idp(std::string entity_id, saml::signing_credentials credentials,
                   std::string fiscal_code)
    : entity_id_(std::move(entity_id)),
      credentials_(std::move(credentials)),
      fiscal_code_(std::move(fiscal_code)),
      run_id_(run_id()) {}

std::string fast_idp::metadata_xml() const {
  constexpr std::string_view redirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
  constexpr std::string_view post = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\""
      " xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"" +
      entity_id_ +
      "\"><md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
      "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>" +
      credentials_.cert().base64_der() +
      "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>";
  for (const std::string_view binding : {redirect, post}) {
    out += "<md:SingleSignOnService Binding=\"" + std::string(binding) + "\" Location=\"" +
           entity_id_ + "/sso\"/>";
  }
  out +=
      "</md:IDPSSODescriptor><md:Organization>"
      "<md:OrganizationName xml:lang=\"it\">IdP di carico</md:OrganizationName>"
      "<md:OrganizationDisplayName xml:lang=\"it\">IdP di carico</md:OrganizationDisplayName>"
      "<md:OrganizationURL xml:lang=\"it\">" +
      entity_id_ + "</md:OrganizationURL></md:Organization></md:EntityDescriptor>\n";
  return out;
}

saml::outcome<std::string> fast_idp::respond(const authn_request_fields& request) {
  const auto now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  const auto at = [&](std::chrono::milliseconds offset) { return saml::test::utc(now + offset); };
  const std::string serial = run_id_ + "-" + std::to_string(++issued_);

  saml::test::response_knobs k;
  k.response_id = "_load-response-" + serial;
  k.assertion_id = "_load-assertion-" + serial;
  k.response_issue_instant = k.assertion_issue_instant = k.not_before = at(0ms);
  k.authn_instant = at(0ms);
  k.subject_not_on_or_after = k.not_on_or_after = at(5min);
  k.in_response_to = k.subject_in_response_to = request.id;
  k.destination = k.recipient = request.acs_url;
  k.response_issuer = k.assertion_issuer = k.name_qualifier = entity_id_;
  k.audience = request.sp_entity_id;
  k.authn_context_class_ref = request.class_ref;
  k.name_id = "_load-nameid-" + serial;
  k.session_index = "_load-session-" + serial;
  k.attributes = {{"name", "Mario"},
                  {"familyName", "Rossi"},
                  {"fiscalNumber", "TINIT-" + fiscal_code_},
                  {"email", "mario.rossi@example.it"}};

  auto doc = saml::parse_trusted_xml(saml::test::response_xml(k));
  if (!doc) return doc.error();
  xmlNodePtr root = doc->root();
  xmlNodePtr assertion = saml::first_child(root, saml::ns::saml, "Assertion");
  auto assertion_signed = saml::sign_enveloped(
      *doc, assertion, credentials_, saml::first_child(assertion, saml::ns::saml, "Issuer"));
  if (!assertion_signed) return assertion_signed.error();
  auto response_signed = saml::sign_enveloped(*doc, root, credentials_,
                                              saml::first_child(root, saml::ns::saml, "Issuer"));
  if (!response_signed) return response_signed.error();
  return doc->serialize(root);
}

}  // namespace varco::bench
