// A self-signed SP certificate as SPID Avviso n. 29 v3 asks (RULES.md §1), the one the SP signs
// its metadata and AuthnRequests with:
//   key          RSA 2048, 3072 (default) or 4096; signature sha256WithRSA (default) or sha512
//   subject      CN, O, uri (2.5.4.83) = entityID, organizationIdentifier (2.5.4.97) =
//                PA:IT-<IPA code> (public SP) | VATIT-<VAT number> | CF:IT-<fiscal code>
//                (private SP), C (IT), L
//   extensions   certificatePolicies (not critical): 1.3.76.16.6 with user notice "agIDcert",
//                and 1.3.76.16.4.2.1 "cert_SP_Pub" (public) or 1.3.76.16.4.3.1 "cert_SP_Priv"
//                (private); keyUsage critical digitalSignature + nonRepudiation (nothing else);
//                basicConstraints CA:FALSE (not critical)
//   serial       159 random bits (positive, never zero, 20 bytes DER)
//   validity     from issuance for `validity` days (default 730, as AgID's reference generator)
// The values follow the checks of AgID's reference validator (italia/spid-compliant-certificates).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace varco::saml::certgen {

enum class sp_sector { public_sector, private_sector };
enum class sp_digest { sha256, sha512 };

struct sp_certificate_request {
  std::string entity_id;     // http(s) URL, also the uri attribute
  std::string common_name;   // CN
  std::string organization;  // O
  std::string locality;      // L
  std::string country = "IT";
  sp_sector sector = sp_sector::public_sector;
  std::string ipa_code;     // public SP: 1–11 characters, no spaces
  std::string vat_number;   // private SP: 11 digits, or
  std::string fiscal_code;  // private SP: 16 letters and digits
  int key_bits = 3072;
  sp_digest digest = sp_digest::sha256;
  std::chrono::days validity{730};
  std::optional<std::chrono::sys_seconds> not_before;  // default: now
};

struct generated_credentials {
  std::string key_pem;   // PKCS#8, unencrypted: the caller writes it with mode 0600
  std::string cert_pem;  // X.509 v3
};

// Everything wrong with the request, one line each; empty when it can be generated.
std::vector<std::string> validate(const sp_certificate_request& request);

// "PA:IT-…", "VATIT-…" or "CF:IT-…" (the request is assumed valid).
std::string organization_identifier(const sp_certificate_request& request);

// Throws std::invalid_argument (the validate() lines, joined) for a bad request and
// std::runtime_error with OpenSSL's reason when OpenSSL fails. A command-line tool, never on the
// request path.
generated_credentials generate_sp_certificate(const sp_certificate_request& request);

}  // namespace varco::saml::certgen
