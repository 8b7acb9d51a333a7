#include "tests/unit/saml/idp_metadata_fixture.hpp"

#include "saml/xml_document.hpp"
#include "saml/xml_signature.hpp"
#include "tests/unit/saml/testdata.hpp"

#include <gtest/gtest.h>

namespace varco::saml::test {
namespace {

constexpr std::string_view md_ns = "urn:oasis:names:tc:SAML:2.0:metadata";
constexpr std::string_view ds_ns = "http://www.w3.org/2000/09/xmldsig#";

std::string key_descriptor(std::string_view use, const std::string& cert_b64) {
  std::string out = "<md:KeyDescriptor";
  if (!use.empty()) out += " use=\"" + std::string(use) + "\"";
  out += "><ds:KeyInfo><ds:X509Data><ds:X509Certificate>" + cert_b64 +
         "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>";
  return out;
}

std::string endpoint(std::string_view element, std::string_view binding,
                     const std::string& location, const std::string& response_location = "") {
  std::string out = "<md:" + std::string(element) + " Binding=\"" + std::string(binding) +
                    "\" Location=\"" + location + "\"";
  if (!response_location.empty()) out += " ResponseLocation=\"" + response_location + "\"";
  return out + "/>";
}

constexpr std::string_view redirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
constexpr std::string_view post = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
constexpr std::string_view artifact = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact";

std::string entity_body(const entity_spec& spec) {
  const std::string& id = spec.entity_id;
  std::string role = spec.idp ? "md:IDPSSODescriptor" : "md:SPSSODescriptor";
  std::string out =
      "<" + role + " protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">";
  if (!spec.signing_cert_b64.empty()) out += key_descriptor(spec.key_use, spec.signing_cert_b64);
  if (spec.encryption_key) out += key_descriptor("encryption", cert("attacker").base64_der());
  if (spec.slo) {
    out += endpoint("SingleLogoutService", redirect, id + "/slo/redirect", id + "/slo/return");
    out += endpoint("SingleLogoutService", post, id + "/slo/post");
  }
  if (spec.sso && spec.idp) {
    out += endpoint("SingleSignOnService", artifact, id + "/sso/artifact");
    out += endpoint("SingleSignOnService", redirect, id + "/sso/redirect");
    out += endpoint("SingleSignOnService", post, id + "/sso/post");
  }
  if (!spec.idp) {
    out += "<md:AssertionConsumerService index=\"0\" Binding=\"" + std::string(post) +
           "\" Location=\"" + id + "/acs\"/>";
  }
  out += "</" + role + ">";
  if (!spec.display_names.empty()) {
    out += "<md:Organization>";
    for (const auto& [lang, text] : spec.display_names) {
      out += "<md:OrganizationName xml:lang=\"" + lang + "\">" + text +
             " S.p.A.</md:OrganizationName>";
    }
    for (const auto& [lang, text] : spec.display_names) {
      out += "<md:OrganizationDisplayName xml:lang=\"" + lang + "\">" + text +
             "</md:OrganizationDisplayName>";
    }
    for (const auto& [lang, text] : spec.display_names) {
      out += "<md:OrganizationURL xml:lang=\"" + lang + "\">" + id + "</md:OrganizationURL>";
    }
    out += "</md:Organization>";
  }
  return out;
}

std::string entity_open(const entity_spec& spec, std::string_view id_attribute) {
  std::string out = "<md:EntityDescriptor xmlns:md=\"" + std::string(md_ns) + "\" xmlns:ds=\"" +
                    std::string(ds_ns) + "\" entityID=\"" + spec.entity_id + "\"";
  out += id_attribute;
  if (!spec.valid_until.empty()) out += " validUntil=\"" + spec.valid_until + "\"";
  return out + ">";
}

}  // namespace

std::string entity_xml(const entity_spec& spec) {
  return entity_open(spec, "") + entity_body(spec) + "</md:EntityDescriptor>";
}

std::string entity_document(const entity_spec& spec) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + entity_open(spec, " ID=\"_entity\"") +
         entity_body(spec) + "</md:EntityDescriptor>";
}

std::string aggregate_xml(const std::vector<std::string>& entities, std::string_view valid_until) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<md:EntitiesDescriptor xmlns:md=\"" +
      std::string(md_ns) + "\" ID=\"_aggregate\" Name=\"https://registry.example.it\"";
  if (!valid_until.empty()) out += " validUntil=\"" + std::string(valid_until) + "\"";
  out += ">";
  for (const auto& e : entities) out += e;
  return out + "</md:EntitiesDescriptor>";
}

std::string sign_root(const std::string& xml, const signing_credentials& creds) {
  auto doc = parse_trusted_xml(xml);
  EXPECT_TRUE(doc.has_value()) << doc.error();
  if (!doc) return {};
  auto signed_ok = sign_enveloped(*doc, doc->root(), creds, nullptr);
  EXPECT_TRUE(signed_ok.has_value()) << signed_ok.error();
  return doc->serialize();
}

entity_spec idp_spec(std::string entity_id) {
  entity_spec spec;
  spec.entity_id = std::move(entity_id);
  spec.signing_cert_b64 = cert("idp").base64_der();
  return spec;
}

}  // namespace varco::saml::test
