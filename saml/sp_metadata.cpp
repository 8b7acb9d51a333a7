#include "saml/sp_metadata.hpp"

#include "base/hex.hpp"
#include "base/openssl_handles.hpp"
#include "base/sha256.hpp"
#include "saml/xml_document.hpp"
#include "saml/xml_names.hpp"
#include "saml/xml_signature.hpp"
#include "saml/xml_tree_builder.hpp"

#include <libxml/tree.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <span>

namespace varco::saml {
namespace {

constexpr std::string_view protocol_enumeration = "urn:oasis:names:tc:SAML:2.0:protocol";
constexpr std::string_view nameid_transient = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
constexpr std::string_view attrname_basic = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic";
// AgID Avviso 29 v3: the billing contact of a private SP carries FatturaPA's
// CessionarioCommittente.
constexpr std::string_view fpa_namespace = "https://spid.gov.it/invoicing-extensions";

failure internal(std::string detail) { return failure{reason::internal_error, std::move(detail)}; }

// Deterministic: the same SP gets the same ID, so a rebuilt metadata is byte-identical.
std::string entity_descriptor_id(const sp_profile& p, provider_kind kind) {
  const std::string input = p.entity_id + "|" + std::string(to_string(kind));
  const auto digest = base::sha256(input);
  return "_" + base::hex(std::span<const unsigned char>(digest).first(16));
}

bool is_cie_attribute(const std::string& name) {
  return std::find(std::begin(cie_attribute_names), std::end(cie_attribute_names), name) !=
         std::end(cie_attribute_names);
}

std::vector<const sp_attribute_service*> services_for(const sp_profile& p, provider_kind kind) {
  std::vector<const sp_attribute_service*> out;
  for (const auto& s : p.attribute_services) {
    if (kind == provider_kind::cie &&
        !std::all_of(s.attributes.begin(), s.attributes.end(), is_cie_attribute)) {
      continue;
    }
    out.push_back(&s);
  }
  return out;
}

// Avviso 29 v3 writes the VAT number with its country prefix ("IT01234567890").
std::string vat_with_country(const std::string& vat) {
  const bool has_country = vat.size() > 2 && std::isupper(static_cast<unsigned char>(vat[0])) &&
                           std::isupper(static_cast<unsigned char>(vat[1]));
  return has_country ? vat : "IT" + vat;
}

void add_localized(xml_tree_builder& b, xmlNodePtr parent, xmlNsPtr md, const char* name,
                   const std::map<std::string, std::string>& texts) {
  // Italian first: it is the mandatory language, and readers of the metadata expect it there.
  if (auto it = texts.find("it"); it != texts.end()) {
    b.lang(b.text_element(parent, md, name, it->second), it->first);
  }
  for (const auto& [lang, text] : texts) {
    if (lang != "it") b.lang(b.text_element(parent, md, name, text), lang);
  }
}

void add_sp_sso_descriptor(xml_tree_builder& b, xmlNodePtr root, xmlNsPtr md, const sp_profile& p,
                           const std::vector<const sp_attribute_service*>& services) {
  xmlNodePtr sso = b.element(root, md, "SPSSODescriptor");
  b.attribute(sso, "protocolSupportEnumeration", std::string(protocol_enumeration));
  b.attribute(sso, "AuthnRequestsSigned", "true");
  b.attribute(sso, "WantAssertionsSigned", "true");

  // KeyInfo here is plain XML (not the signature's): xmlsec is not involved.
  xmlNodePtr key = b.element(sso, md, "KeyDescriptor");
  b.attribute(key, "use", "signing");
  xmlNodePtr key_info = b.element(key, nullptr, "KeyInfo");
  xmlNsPtr ds = b.declare(key_info, ns::ds, "ds");
  xmlSetNs(key_info, ds);
  xmlNodePtr x509_data = b.element(key_info, ds, "X509Data");
  b.text_element(x509_data, ds, "X509Certificate", p.credentials->cert().base64_der());

  for (std::string_view binding : {binding_redirect, binding_post}) {
    xmlNodePtr slo = b.element(sso, md, "SingleLogoutService");
    b.attribute(slo, "Binding", std::string(binding));
    b.attribute(slo, "Location", p.slo_url);
  }
  b.text_element(sso, md, "NameIDFormat", std::string(nameid_transient));

  xmlNodePtr acs = b.element(sso, md, "AssertionConsumerService");
  b.attribute(acs, "Binding", std::string(binding_post));
  b.attribute(acs, "Location", p.acs_url);
  b.attribute(acs, "index", "0");
  b.attribute(acs, "isDefault", "true");

  for (const sp_attribute_service* s : services) {
    xmlNodePtr service = b.element(sso, md, "AttributeConsumingService");
    b.attribute(service, "index", std::to_string(s->index));
    b.lang(b.text_element(service, md, "ServiceName", s->name), "it");
    for (const auto& name : s->attributes) {
      xmlNodePtr requested = b.element(service, md, "RequestedAttribute");
      b.attribute(requested, "Name", name);
      b.attribute(requested, "NameFormat", std::string(attrname_basic));
    }
  }
}

void add_organization(xml_tree_builder& b, xmlNodePtr root, xmlNsPtr md, const sp_profile& p) {
  xmlNodePtr org = b.element(root, md, "Organization");
  add_localized(b, org, md, "OrganizationName", p.organization_name);
  add_localized(b, org, md, "OrganizationDisplayName", p.organization_display_name);
  add_localized(b, org, md, "OrganizationURL", p.organization_url);
}

std::string italian_name(const sp_profile& p) {
  auto it = p.organization_name.find("it");
  return it != p.organization_name.end() ? it->second : p.entity_id;
}

// SPID: contactType "other", spid: extensions. CIE: contactType "administrative", cie:
// extensions with the municipality, and the organisation as md:Company as CIE's samples show.
void add_contact(xml_tree_builder& b, xmlNodePtr root, xmlNsPtr md, const sp_profile& p,
                 provider_kind kind) {
  const bool cie = kind == provider_kind::cie;
  xmlNodePtr contact = b.element(root, md, "ContactPerson");
  b.attribute(contact, "contactType", cie ? "administrative" : "other");
  xmlNodePtr extensions = b.element(contact, md, "Extensions");
  xmlNsPtr ext =
      cie ? b.declare(extensions, ns::cie, "cie") : b.declare(extensions, ns::spid, "spid");
  if (p.public_sp) {
    if (cie) b.element(extensions, ext, "Public");
    b.text_element(extensions, ext, "IPACode", p.ipa_code);
    if (!cie) b.element(extensions, ext, "Public");
  } else {
    if (cie) b.element(extensions, ext, "Private");
    if (!p.vat_number.empty()) {
      b.text_element(extensions, ext, "VATNumber", vat_with_country(p.vat_number));
    }
    if (!p.fiscal_code.empty()) b.text_element(extensions, ext, "FiscalCode", p.fiscal_code);
    if (!cie) b.element(extensions, ext, "Private");
  }
  if (cie) {
    b.text_element(extensions, ext, "Municipality", p.municipality);
    b.text_element(contact, md, "Company", italian_name(p));
  }
  b.text_element(contact, md, "EmailAddress", p.contact_email);
  if (!p.contact_telephone.empty()) {
    b.text_element(contact, md, "TelephoneNumber", p.contact_telephone);
  }
}

// A private SPID SP also names who is invoiced (Avviso 29 v3). Minimal: the fiscal identity and
// the name (Denominazione) from the configuration. FatturaPA's Sede (address) is not in the
// configuration, so it is left out; AgID's onboarding collects it separately.
void add_billing_contact(xml_tree_builder& b, xmlNodePtr root, xmlNsPtr md, const sp_profile& p) {
  xmlNodePtr contact = b.element(root, md, "ContactPerson");
  b.attribute(contact, "contactType", "billing");
  xmlNodePtr extensions = b.element(contact, md, "Extensions");
  xmlNsPtr fpa = b.declare(extensions, fpa_namespace, "fpa");
  xmlNodePtr cessionario = b.element(extensions, fpa, "CessionarioCommittente");
  xmlNodePtr anagrafici = b.element(cessionario, fpa, "DatiAnagrafici");
  if (!p.vat_number.empty()) {
    const std::string vat = vat_with_country(p.vat_number);
    xmlNodePtr id = b.element(anagrafici, fpa, "IdFiscaleIVA");
    b.text_element(id, fpa, "IdPaese", vat.substr(0, 2));
    b.text_element(id, fpa, "IdCodice", vat.substr(2));
  }
  if (!p.fiscal_code.empty()) b.text_element(anagrafici, fpa, "CodiceFiscale", p.fiscal_code);
  xmlNodePtr anagrafica = b.element(anagrafici, fpa, "Anagrafica");
  b.text_element(anagrafica, fpa, "Denominazione", italian_name(p));
  b.text_element(contact, md, "Company", italian_name(p));
  b.text_element(contact, md, "EmailAddress", p.contact_email);
  if (!p.contact_telephone.empty()) {
    b.text_element(contact, md, "TelephoneNumber", p.contact_telephone);
  }
}

}  // namespace

outcome<std::string> build_sp_metadata(const sp_profile& p, provider_kind kind) {
  if (!p.credentials) return internal("the SP profile has no signing credentials");
  const auto services = services_for(p, kind);
  if (services.empty()) {
    return internal(kind == provider_kind::cie
                        ? "no attribute service requests only CIE attributes (name, familyName, "
                          "dateOfBirth, fiscalNumber)"
                        : "no attribute service is configured");
  }
  if (kind == provider_kind::cie && p.municipality.empty()) {
    return internal("CIE metadata needs the municipality (ISTAT code)");
  }
  if (p.public_sp ? p.ipa_code.empty() : p.vat_number.empty() && p.fiscal_code.empty()) {
    return internal(p.public_sp ? "a public SP needs its IPA code"
                                : "a private SP needs a VAT number or a fiscal code");
  }

  xml_document doc{xml_doc_ptr(xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0")))};
  if (doc.get() == nullptr) return internal("cannot allocate the metadata document");
  xml_tree_builder b(doc.get());
  xmlNodePtr root = b.element(nullptr, nullptr, "EntityDescriptor");
  if (root == nullptr) return internal("cannot allocate the metadata document");
  xmlDocSetRootElement(doc.get(), root);
  xmlNsPtr md = b.declare(root, ns::md, "md");
  xmlSetNs(root, md);
  b.attribute(root, "entityID", p.entity_id);
  b.attribute(root, "ID", entity_descriptor_id(p, kind));

  add_sp_sso_descriptor(b, root, md, p, services);
  add_organization(b, root, md, p);
  add_contact(b, root, md, p, kind);
  if (kind == provider_kind::spid && !p.public_sp) add_billing_contact(b, root, md, p);
  if (b.failed()) return internal("cannot build the metadata tree (out of memory)");

  if (auto signed_ok = sign_enveloped(doc, root, *p.credentials, nullptr); !signed_ok) {
    failure f = signed_ok.error();
    f.detail = "signing the metadata: " + f.detail;
    return f;
  }
  return doc.serialize();
}

}  // namespace varco::saml
