#include "saml/sp_profile.hpp"

namespace varco::saml {

const sp_attribute_service* sp_profile::attribute_service(unsigned index) const {
  for (const auto& service : attribute_services) {
    if (service.index == index) return &service;
  }
  return nullptr;
}

sp_profile make_sp_profile(const conf::saml& config) {
  sp_profile p;
  p.entity_id = config.entity_id;
  p.acs_url = config.acs_url;
  p.slo_url = config.slo_url;
  p.organization_name = config.organization_name.by_lang;
  p.organization_display_name = config.organization_display_name.by_lang;
  p.organization_url = config.organization_url.by_lang;
  p.contact_email = config.contact.email;
  p.contact_telephone = config.contact.telephone;
  p.public_sp = config.public_sp;
  p.ipa_code = config.ipa_code;
  p.vat_number = config.vat_number;
  p.fiscal_code = config.fiscal_code;
  p.municipality = config.municipality;
  for (const auto& s : config.attribute_services) {
    p.attribute_services.push_back({s.index, s.name, s.attributes});
  }
  p.clock_skew = config.clock_skew;
  return p;
}

outcome<sp_profile> load_sp_profile(const conf::saml& config) {
  auto creds = signing_credentials::from_files(config.key_file, config.certificate_file);
  if (!creds) {
    failure f = creds.error();
    f.detail =
        "SP key " + config.key_file + " / certificate " + config.certificate_file + ": " + f.detail;
    return f;
  }
  sp_profile p = make_sp_profile(config);
  p.credentials = std::move(*creds);
  return p;
}

}  // namespace varco::saml
