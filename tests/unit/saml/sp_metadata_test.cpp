// build_sp_metadata against RULES.md §1, item by item, for a public SP, a private SP and CIE; the
// signature checked by our verifier and by the independent xmlsec1 command line tool.
#include "saml/sp_metadata.hpp"

#include "saml/xml_document.hpp"
#include "saml/xml_names.hpp"
#include "saml/xml_signature.hpp"
#include "sp_test_profile.hpp"
#include "testdata.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

namespace varco::saml {
namespace {

using test::sp_test_profile;

constexpr std::string_view transient = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";

// The parsed metadata and its root, failing the test when either is missing.
struct parsed_metadata {
  xml_document doc;
  xmlNodePtr root;
};

parsed_metadata parse(const std::string& xml) {
  auto doc = parse_trusted_xml(xml);
  EXPECT_TRUE(doc) << doc.error();
  xmlNodePtr root = doc ? doc->root() : nullptr;
  EXPECT_NE(root, nullptr);
  return {std::move(doc).value(), root};
}

std::string metadata_xml(const sp_profile& p, provider_kind kind = provider_kind::spid) {
  auto xml = build_sp_metadata(p, kind);
  EXPECT_TRUE(xml) << xml.error();
  return xml ? *xml : std::string();
}

std::string text(const xmlNode* element) {
  if (element == nullptr) return "<missing>";
  auto t = strict_text(element);
  return t ? *t : "<markup>";
}

std::string lang(const xmlNode* element) {
  xml_string_ptr value(xmlNodeGetLang(element));
  return value ? reinterpret_cast<const char*>(value.get()) : "";
}

std::string attr(const xmlNode* element, std::string_view name) {
  if (element == nullptr) return "<missing element>";
  return attribute(element, name).value_or("<absent>");
}

xmlNodePtr first_element_child(const xmlNode* parent) {
  for (xmlNodePtr n = parent->children; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE) return n;
  }
  return nullptr;
}

std::string without_whitespace(std::string s) {
  s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return std::isspace(c) != 0; }), s.end());
  return s;
}

// ContactPerson elements with that contactType.
std::vector<xmlNodePtr> contacts(const xmlNode* root, std::string_view type) {
  std::vector<xmlNodePtr> out;
  for (xmlNodePtr c : children(root, ns::md, "ContactPerson")) {
    if (attribute(c, "contactType") == type) out.push_back(c);
  }
  return out;
}

std::vector<std::string> element_names(const xmlNode* parent) {
  std::vector<std::string> names;
  for (xmlNodePtr n = parent->children; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    names.push_back((n->ns != nullptr
                         ? reinterpret_cast<const char*>(n->ns->href) + std::string("|")
                         : std::string("|")) +
                    reinterpret_cast<const char*>(n->name));
  }
  return names;
}

std::string qualified(std::string_view ns, std::string_view local) {
  return std::string(ns) + "|" + std::string(local);
}

// §1 items common to every variant: entity, signature, SPSSODescriptor, organization.
void expect_common_rules(const xmlNode* root, const sp_profile& p) {
  ASSERT_TRUE(is_element(root, ns::md, "EntityDescriptor"));
  EXPECT_EQ(attr(root, "entityID"), p.entity_id);
  const std::string id = attr(root, "ID");
  ASSERT_GT(id.size(), 1u);
  EXPECT_EQ(id[0], '_');

  // Enveloped signature, first child, with the algorithms and the certificate RULES.md asks for.
  xmlNodePtr signature = first_element_child(root);
  ASSERT_TRUE(is_element(signature, ns::ds, "Signature"));
  EXPECT_EQ(children(root, ns::ds, "Signature").size(), 1u);
  xmlNodePtr signed_info = first_child(signature, ns::ds, "SignedInfo");
  EXPECT_EQ(attr(first_child(signed_info, ns::ds, "CanonicalizationMethod"), "Algorithm"),
            algorithm::exc_c14n);
  EXPECT_EQ(attr(first_child(signed_info, ns::ds, "SignatureMethod"), "Algorithm"),
            algorithm::rsa_sha256);
  xmlNodePtr reference = first_child(signed_info, ns::ds, "Reference");
  EXPECT_EQ(attr(reference, "URI"), "#" + id);
  EXPECT_EQ(attr(first_child(reference, ns::ds, "DigestMethod"), "Algorithm"), algorithm::sha256);
  xmlNodePtr embedded =
      first_child(first_child(first_child(signature, ns::ds, "KeyInfo"), ns::ds, "X509Data"),
                  ns::ds, "X509Certificate");
  EXPECT_EQ(without_whitespace(text(embedded)), p.credentials->cert().base64_der());

  // One SPSSODescriptor.
  auto descriptors = children(root, ns::md, "SPSSODescriptor");
  ASSERT_EQ(descriptors.size(), 1u);
  xmlNodePtr sso = descriptors[0];
  EXPECT_EQ(attr(sso, "protocolSupportEnumeration"), ns::samlp);
  EXPECT_EQ(attr(sso, "AuthnRequestsSigned"), "true");
  EXPECT_EQ(attr(sso, "WantAssertionsSigned"), "true");

  auto keys = children(sso, ns::md, "KeyDescriptor");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(attr(keys[0], "use"), "signing");
  xmlNodePtr key_cert =
      first_child(first_child(first_child(keys[0], ns::ds, "KeyInfo"), ns::ds, "X509Data"), ns::ds,
                  "X509Certificate");
  EXPECT_EQ(text(key_cert), p.credentials->cert().base64_der());

  std::set<std::string> slo_bindings;
  for (xmlNodePtr slo : children(sso, ns::md, "SingleLogoutService")) {
    slo_bindings.insert(attr(slo, "Binding"));
    EXPECT_EQ(attr(slo, "Location"), p.slo_url);
  }
  EXPECT_EQ(slo_bindings,
            (std::set<std::string>{std::string(binding_redirect), std::string(binding_post)}));

  auto formats = children(sso, ns::md, "NameIDFormat");
  ASSERT_EQ(formats.size(), 1u);
  EXPECT_EQ(text(formats[0]), transient);

  auto acs = children(sso, ns::md, "AssertionConsumerService");
  ASSERT_EQ(acs.size(), 1u);
  EXPECT_EQ(attr(acs[0], "Binding"), binding_post);
  EXPECT_EQ(attr(acs[0], "Location"), p.acs_url);
  EXPECT_EQ(attr(acs[0], "index"), "0");
  EXPECT_EQ(attr(acs[0], "isDefault"), "true");

  // Organization: Name, DisplayName, URL with the same languages, "it" among them (and first).
  auto orgs = children(root, ns::md, "Organization");
  ASSERT_EQ(orgs.size(), 1u);
  const std::pair<const char*, const std::map<std::string, std::string>*> parts[] = {
      {"OrganizationName", &p.organization_name},
      {"OrganizationDisplayName", &p.organization_display_name},
      {"OrganizationURL", &p.organization_url}};
  for (const auto& [name, expected] : parts) {
    std::map<std::string, std::string> found;
    auto elements = children(orgs[0], ns::md, name);
    ASSERT_FALSE(elements.empty()) << name;
    EXPECT_EQ(lang(elements[0]), "it") << name;
    for (xmlNodePtr e : elements) found[lang(e)] = text(e);
    EXPECT_EQ(found, *expected) << name;
  }
}

std::vector<std::string> requested_attributes(const xmlNode* service) {
  std::vector<std::string> names;
  for (xmlNodePtr a : children(service, ns::md, "RequestedAttribute")) {
    names.push_back(attr(a, "Name"));
  }
  return names;
}

TEST(sp_metadata, public_spid_sp_follows_rules_section_1) {
  const sp_profile p = sp_test_profile(true);
  const std::string xml = metadata_xml(p);
  ASSERT_EQ(xml.rfind("<?xml", 0), 0u);
  auto [doc, root] = parse(xml);
  expect_common_rules(root, p);

  xmlNodePtr sso = first_child(root, ns::md, "SPSSODescriptor");
  auto services = children(sso, ns::md, "AttributeConsumingService");
  ASSERT_EQ(services.size(), p.attribute_services.size());
  for (std::size_t i = 0; i < services.size(); ++i) {
    EXPECT_EQ(attr(services[i], "index"), std::to_string(p.attribute_services[i].index));
    auto names = children(services[i], ns::md, "ServiceName");
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ(text(names[0]), p.attribute_services[i].name);
    EXPECT_EQ(lang(names[0]), "it");
    EXPECT_EQ(requested_attributes(services[i]), p.attribute_services[i].attributes);
  }

  auto other = contacts(root, "other");
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(contacts(root, "billing").size(), 0u);
  xmlNodePtr extensions = first_child(other[0], ns::md, "Extensions");
  ASSERT_NE(extensions, nullptr);
  EXPECT_EQ(element_names(extensions), (std::vector<std::string>{qualified(ns::spid, "IPACode"),
                                                                 qualified(ns::spid, "Public")}));
  EXPECT_EQ(text(first_child(extensions, ns::spid, "IPACode")), "c_h501");
  EXPECT_EQ(first_child(extensions, ns::spid, "Public")->children, nullptr);  // empty
  EXPECT_EQ(text(first_child(other[0], ns::md, "EmailAddress")), "spid@prova.it");
  EXPECT_EQ(text(first_child(other[0], ns::md, "TelephoneNumber")), "+390612345678");
}

TEST(sp_metadata, signature_verifies_with_the_sp_certificate_only) {
  const sp_profile p = sp_test_profile(true);
  auto [doc, root] = parse(metadata_xml(p));
  auto ok = verify_enveloped_signature(doc, root, {p.credentials->cert()});
  EXPECT_TRUE(ok) << ok.error();

  auto [doc2, root2] = parse(metadata_xml(p));
  auto other_key = verify_enveloped_signature(doc2, root2, {test::cert("idp")});
  ASSERT_FALSE(other_key);
  EXPECT_EQ(other_key.error().code, reason::key_not_trusted);
}

TEST(sp_metadata, tampered_metadata_no_longer_verifies) {
  const sp_profile p = sp_test_profile(true);
  std::string xml = metadata_xml(p);
  const auto at = xml.find("spid@prova.it");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 4, "evil");
  auto [doc, root] = parse(xml);
  auto result = verify_enveloped_signature(doc, root, {p.credentials->cert()});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, reason::signature_invalid);
}

TEST(sp_metadata, configured_text_is_escaped_not_interpreted) {
  const sp_profile p = sp_test_profile(true);
  const std::string xml = metadata_xml(p);
  EXPECT_NE(xml.find("Comune di Prova &amp; &lt;Figli&gt;"), std::string::npos);
  auto [doc, root] = parse(xml);
  xmlNodePtr name =
      first_child(first_child(root, ns::md, "Organization"), ns::md, "OrganizationName");
  EXPECT_EQ(text(name), "Comune di Prova & <Figli>");
}

TEST(sp_metadata, private_sp_with_vat_number_has_private_marker_and_billing_contact) {
  const sp_profile p = sp_test_profile(false);
  auto [doc, root] = parse(metadata_xml(p));
  expect_common_rules(root, p);

  auto other = contacts(root, "other");
  ASSERT_EQ(other.size(), 1u);
  xmlNodePtr extensions = first_child(other[0], ns::md, "Extensions");
  ASSERT_NE(extensions, nullptr);
  EXPECT_EQ(element_names(extensions), (std::vector<std::string>{qualified(ns::spid, "VATNumber"),
                                                                 qualified(ns::spid, "Private")}));
  EXPECT_EQ(text(first_child(extensions, ns::spid, "VATNumber")), "IT01234567890");

  auto billing = contacts(root, "billing");
  ASSERT_EQ(billing.size(), 1u);
  constexpr std::string_view fpa = "https://spid.gov.it/invoicing-extensions";
  xmlNodePtr cessionario =
      first_child(first_child(billing[0], ns::md, "Extensions"), fpa, "CessionarioCommittente");
  ASSERT_NE(cessionario, nullptr);
  xmlNodePtr anagrafici = first_child(cessionario, fpa, "DatiAnagrafici");
  xmlNodePtr vat = first_child(anagrafici, fpa, "IdFiscaleIVA");
  EXPECT_EQ(text(first_child(vat, fpa, "IdPaese")), "IT");
  EXPECT_EQ(text(first_child(vat, fpa, "IdCodice")), "01234567890");
  EXPECT_EQ(text(first_child(first_child(anagrafici, fpa, "Anagrafica"), fpa, "Denominazione")),
            "Comune di Prova & <Figli>");
  EXPECT_EQ(text(first_child(billing[0], ns::md, "EmailAddress")), "spid@prova.it");
}

TEST(sp_metadata, private_sp_with_fiscal_code_only) {
  sp_profile p = sp_test_profile(false);
  p.vat_number.clear();
  p.fiscal_code = "RSSMRA80A01H501U";
  auto [doc, root] = parse(metadata_xml(p));
  xmlNodePtr extensions = first_child(contacts(root, "other").at(0), ns::md, "Extensions");
  EXPECT_EQ(element_names(extensions), (std::vector<std::string>{qualified(ns::spid, "FiscalCode"),
                                                                 qualified(ns::spid, "Private")}));
  EXPECT_EQ(text(first_child(extensions, ns::spid, "FiscalCode")), "RSSMRA80A01H501U");
}

TEST(sp_metadata, vat_number_keeps_a_configured_country_prefix) {
  sp_profile p = sp_test_profile(false);
  p.vat_number = "IT01234567890";
  auto [doc, root] = parse(metadata_xml(p));
  xmlNodePtr extensions = first_child(contacts(root, "other").at(0), ns::md, "Extensions");
  EXPECT_EQ(text(first_child(extensions, ns::spid, "VATNumber")), "IT01234567890");
}

TEST(sp_metadata, telephone_is_omitted_when_not_configured) {
  sp_profile p = sp_test_profile(true);
  p.contact_telephone.clear();
  auto [doc, root] = parse(metadata_xml(p));
  EXPECT_EQ(first_child(contacts(root, "other").at(0), ns::md, "TelephoneNumber"), nullptr);
}

TEST(sp_metadata, cie_variant_uses_cie_extensions_administrative_contact_and_cie_attributes) {
  const sp_profile p = sp_test_profile(true);
  const std::string xml = metadata_xml(p, provider_kind::cie);
  auto [doc, root] = parse(xml);
  expect_common_rules(root, p);
  EXPECT_EQ(xml.find(ns::spid), std::string::npos);

  // Only service 1 asks nothing but CIE attributes; service 0 (spidCode, email) is left out.
  xmlNodePtr sso = first_child(root, ns::md, "SPSSODescriptor");
  auto services = children(sso, ns::md, "AttributeConsumingService");
  ASSERT_EQ(services.size(), 1u);
  EXPECT_EQ(attr(services[0], "index"), "1");
  for (const auto& name : requested_attributes(services[0])) {
    EXPECT_NE(std::find(std::begin(cie_attribute_names), std::end(cie_attribute_names), name),
              std::end(cie_attribute_names))
        << name;
  }

  EXPECT_EQ(contacts(root, "other").size(), 0u);
  auto admin = contacts(root, "administrative");
  ASSERT_EQ(admin.size(), 1u);
  xmlNodePtr extensions = first_child(admin[0], ns::md, "Extensions");
  ASSERT_NE(extensions, nullptr);
  EXPECT_EQ(element_names(extensions),
            (std::vector<std::string>{qualified(ns::cie, "Public"), qualified(ns::cie, "IPACode"),
                                      qualified(ns::cie, "Municipality")}));
  EXPECT_EQ(text(first_child(extensions, ns::cie, "IPACode")), "c_h501");
  EXPECT_EQ(text(first_child(extensions, ns::cie, "Municipality")), "058091");
  EXPECT_EQ(text(first_child(admin[0], ns::md, "Company")), "Comune di Prova & <Figli>");
  EXPECT_EQ(text(first_child(admin[0], ns::md, "EmailAddress")), "spid@prova.it");

  auto verified = verify_enveloped_signature(doc, root, {p.credentials->cert()});
  EXPECT_TRUE(verified) << verified.error();
}

TEST(sp_metadata, cie_variant_for_a_private_sp) {
  const sp_profile p = sp_test_profile(false);
  auto [doc, root] = parse(metadata_xml(p, provider_kind::cie));
  xmlNodePtr extensions = first_child(contacts(root, "administrative").at(0), ns::md, "Extensions");
  EXPECT_EQ(
      element_names(extensions),
      (std::vector<std::string>{qualified(ns::cie, "Private"), qualified(ns::cie, "VATNumber"),
                                qualified(ns::cie, "Municipality")}));
  EXPECT_EQ(contacts(root, "billing").size(), 0u);  // a SPID (AgID) requirement only
}

TEST(sp_metadata, output_is_deterministic_and_variants_have_distinct_ids) {
  const sp_profile p = sp_test_profile(true);
  EXPECT_EQ(metadata_xml(p), metadata_xml(p));
  auto [spid_doc, spid_root] = parse(metadata_xml(p));
  auto [cie_doc, cie_root] = parse(metadata_xml(p, provider_kind::cie));
  EXPECT_NE(attr(spid_root, "ID"), attr(cie_root, "ID"));
}

TEST(sp_metadata, refuses_what_it_cannot_build) {
  sp_profile no_key = sp_test_profile(true);
  no_key.credentials.reset();
  EXPECT_FALSE(build_sp_metadata(no_key));

  sp_profile no_municipality = sp_test_profile(true);
  no_municipality.municipality.clear();
  EXPECT_TRUE(build_sp_metadata(no_municipality, provider_kind::spid));
  EXPECT_FALSE(build_sp_metadata(no_municipality, provider_kind::cie));

  sp_profile no_cie_service = sp_test_profile(true);
  no_cie_service.attribute_services.pop_back();
  EXPECT_TRUE(build_sp_metadata(no_cie_service, provider_kind::spid));
  EXPECT_FALSE(build_sp_metadata(no_cie_service, provider_kind::cie));

  sp_profile no_ipa = sp_test_profile(true);
  no_ipa.ipa_code.clear();
  EXPECT_FALSE(build_sp_metadata(no_ipa));

  sp_profile no_services = sp_test_profile(true);
  no_services.attribute_services.clear();
  EXPECT_FALSE(build_sp_metadata(no_services));
}

TEST(sp_profile, loads_credentials_from_the_configured_files) {
  auto p = load_sp_profile(test::sp_config(true));
  ASSERT_TRUE(p) << p.error();
  ASSERT_TRUE(p->credentials);
  EXPECT_EQ(p->credentials->cert(), test::cert("sp"));
  EXPECT_EQ(p->entity_id, "https://sp.example.it");
  EXPECT_NE(p->attribute_service(1), nullptr);
  EXPECT_EQ(p->attribute_service(7), nullptr);
}

TEST(sp_profile, refuses_a_missing_file_a_mismatched_pair_and_a_short_key) {
  auto missing = test::sp_config(true);
  missing.key_file = test::testdata_path("nope.key").string();
  auto p = load_sp_profile(missing);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().detail.find("nope.key"), std::string::npos) << p.error();

  auto mismatched = test::sp_config(true);
  mismatched.key_file = test::testdata_path("idp.key").string();
  EXPECT_FALSE(load_sp_profile(mismatched));

  test::temp_dir dir;
  const auto key = dir.path() / "short.key";
  const auto crt = dir.path() / "short.crt";
  std::string output;
  ASSERT_EQ(test::run("openssl req -x509 -newkey rsa:1024 -nodes -subj /CN=short -days 1 -keyout " +
                          key.string() + " -out " + crt.string(),
                      &output),
            0)
      << output;
  auto short_key = test::sp_config(true);
  short_key.key_file = key.string();
  short_key.certificate_file = crt.string();
  EXPECT_FALSE(load_sp_profile(short_key));
}

// --- The independent verifier: xmlsec1 (Debian package xmlsec1), given no key at all. ---------
//
//   xmlsec1 --verify --enabled-key-data x509 --insecure
//           --id-attr:ID urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor metadata.xml
//
// --enabled-key-data x509 makes it take the key from KeyInfo/X509Data/X509Certificate only;
// --insecure skips the chain check (the SP certificate is self-signed, as AgID allows). A second
// run trusts the SP certificate explicitly (--trusted-pem) so the chain is checked too.
int xmlsec1_verify(const std::string& xml, const std::string& extra, std::string& output) {
  test::temp_dir dir;
  const auto file = dir.path() / "metadata.xml";
  test::write_file(file, xml);
  return test::run("xmlsec1 --verify --enabled-key-data x509 " + extra +
                       " --id-attr:ID urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor " +
                       file.string(),
                   &output);
}

class sp_metadata_xmlsec1 : public ::testing::TestWithParam<std::pair<bool, provider_kind>> {
 protected:
  void SetUp() override {
    ASSERT_EQ(test::run("xmlsec1 --version"), 0) << "xmlsec1 is missing (scripts/test installs it)";
  }
};

TEST_P(sp_metadata_xmlsec1, verifies_with_the_embedded_certificate_alone) {
  const auto [public_sp, kind] = GetParam();
  const std::string xml = metadata_xml(sp_test_profile(public_sp), kind);
  std::string output;
  EXPECT_EQ(xmlsec1_verify(xml, "--insecure", output), 0) << output;
  EXPECT_NE(output.find("OK"), std::string::npos) << output;
  EXPECT_EQ(xmlsec1_verify(xml, "--trusted-pem " + test::testdata_path("sp.crt").string(), output),
            0)
      << output;
}

TEST_P(sp_metadata_xmlsec1, refuses_tampered_metadata) {
  const auto [public_sp, kind] = GetParam();
  std::string xml = metadata_xml(sp_test_profile(public_sp), kind);
  const auto at = xml.find("https://sp.example.it/saml/acs");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 8, "https://");  // same text: must still verify (control)...
  std::string output;
  EXPECT_EQ(xmlsec1_verify(xml, "--insecure", output), 0) << output;
  xml.replace(at + 8, 2, "ev");  // ...and now one byte changes the signed content
  EXPECT_NE(xmlsec1_verify(xml, "--insecure", output), 0) << output;
}

INSTANTIATE_TEST_SUITE_P(variants, sp_metadata_xmlsec1,
                         ::testing::Values(std::pair{true, provider_kind::spid},
                                           std::pair{false, provider_kind::spid},
                                           std::pair{true, provider_kind::cie}));

}  // namespace
}  // namespace varco::saml
