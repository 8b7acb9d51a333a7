// The SP profiles the metadata, AuthnRequest and schema tests build on: a public SP, a private
// one and CIE settings, with the testdata "sp" credentials; and an IdP descriptor made by hand.
#pragma once

#include "saml/idp.hpp"
#include "saml/sp_profile.hpp"
#include "testdata.hpp"

#include <filesystem>
#include <string>

namespace varco::saml::test {

inline conf::saml sp_config(bool public_sp = true) {
  conf::saml c;
  c.enabled = true;
  c.entity_id = "https://sp.example.it";
  c.acs_url = "https://sp.example.it/saml/acs";
  c.slo_url = "https://sp.example.it/saml/slo";
  c.key_file = testdata_path("sp.key").string();
  c.certificate_file = testdata_path("sp.crt").string();
  // Markup characters on purpose: the builders must escape them.
  c.organization_name.by_lang = {{"it", "Comune di Prova & <Figli>"}, {"en", "Town of Prova"}};
  c.organization_display_name.by_lang = {{"it", "Prova"}, {"en", "Prova (EN)"}};
  c.organization_url.by_lang = {{"it", "https://www.prova.it/"}, {"en", "https://www.prova.it/en"}};
  c.contact.email = "spid@prova.it";
  c.contact.telephone = "+390612345678";
  c.public_sp = public_sp;
  if (public_sp) {
    c.ipa_code = "c_h501";
  } else {
    c.vat_number = "01234567890";
  }
  c.municipality = "058091";
  c.attribute_services = {
      {0, "Servizi online", {"spidCode", "name", "familyName", "email", "fiscalNumber"}},
      {1, "Accesso CIE", {"name", "familyName", "dateOfBirth", "fiscalNumber"}}};
  return c;
}

inline sp_profile sp_test_profile(bool public_sp = true) {
  sp_profile p = make_sp_profile(sp_config(public_sp));
  p.credentials = credentials("sp");
  return p;
}

inline idp_descriptor test_idp(provider_kind kind = provider_kind::spid) {
  idp_descriptor idp;
  idp.entity_id = "https://idp.example.it";
  idp.kind = kind;
  idp.signing_certificates = {cert("idp")};
  idp.single_sign_on = {{std::string(binding_redirect), "https://idp.example.it/sso/redirect", ""},
                        {std::string(binding_post), "https://idp.example.it/sso/post", ""}};
  idp.single_logout = {{std::string(binding_redirect), "https://idp.example.it/slo", ""}};
  return idp;
}

// saml/schemas/ of the source tree (the testdata directory is tests/unit/saml/testdata).
inline std::filesystem::path schemas_dir() {
  return std::filesystem::weakly_canonical(testdata_path("../../../../saml/schemas"));
}

}  // namespace varco::saml::test
