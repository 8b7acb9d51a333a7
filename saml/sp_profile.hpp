// The Service Provider as the saml module sees it: its identity, endpoints, the texts and codes
// of its metadata, the attribute services an AuthnRequest may name, and its signing credentials.
//
// Built once per configuration load from conf::saml (load_sp_profile reads the key and the
// certificate), then immutable: worker threads share it read-only (signing_credentials allows
// concurrent signing, see saml/credentials.hpp).
#pragma once

#include "conf/config.hpp"
#include "saml/credentials.hpp"
#include "saml/errors.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace varco::saml {

struct sp_attribute_service {
  unsigned index = 0;
  std::string name;                     // md:ServiceName (xml:lang="it")
  std::vector<std::string> attributes;  // SPID attribute names, no duplicates
};

struct sp_profile {
  std::string entity_id;
  std::string acs_url;  // the one AssertionConsumerService, index 0 (HTTP-POST)
  std::string slo_url;  // SingleLogoutService, Redirect and POST
  std::map<std::string, std::string> organization_name;  // language → text; "it" among them
  std::map<std::string, std::string> organization_display_name;
  std::map<std::string, std::string> organization_url;
  std::string contact_email;
  std::string contact_telephone;  // "+39…" or empty
  bool public_sp = true;
  std::string ipa_code;      // public SP
  std::string vat_number;    // private SP, as configured (the metadata adds "IT" when missing)
  std::string fiscal_code;   // private SP
  std::string municipality;  // ISTAT code; CIE metadata requires it
  std::vector<sp_attribute_service> attribute_services;
  std::chrono::milliseconds clock_skew{0};
  std::optional<signing_credentials> credentials;  // always set by load_sp_profile

  // The attribute service with that index, or null.
  const sp_attribute_service* attribute_service(unsigned index) const;
};

// Everything but the credentials, copied from the configuration.
sp_profile make_sp_profile(const conf::saml& config);

// make_sp_profile plus the key and certificate read from config.key_file/certificate_file.
// Fails (internal_error, detail naming the file) when a file cannot be read, the key is not RSA
// of at least 2048 bits, or it does not match the certificate. Start-up only: reads files.
outcome<sp_profile> load_sp_profile(const conf::saml& config);

}  // namespace varco::saml
