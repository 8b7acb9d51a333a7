#include "saml/certgen/sp_certificate.hpp"

#include "base/openssl_handles.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <stdexcept>
#include <string_view>

namespace varco::saml::certgen {
namespace {

constexpr const char* uri_oid = "2.5.4.83";

// The two policies, as an OpenSSL configuration: certificatePolicies with user notices is far
// shorter to state this way than to assemble POLICYINFO stacks by hand. Only constants here:
// nothing from the request is ever part of this text.
constexpr std::string_view public_policies =
    "[agid_policy]\n"
    "policyIdentifier = 1.3.76.16.6\n"
    "userNotice.1 = @agid_notice\n"
    "[agid_notice]\n"
    "explicitText = \"agIDcert\"\n"
    "[spid_policy]\n"
    "policyIdentifier = 1.3.76.16.4.2.1\n"
    "userNotice.1 = @spid_notice\n"
    "[spid_notice]\n"
    "explicitText = \"cert_SP_Pub\"\n";
constexpr std::string_view private_policies =
    "[agid_policy]\n"
    "policyIdentifier = 1.3.76.16.6\n"
    "userNotice.1 = @agid_notice\n"
    "[agid_notice]\n"
    "explicitText = \"agIDcert\"\n"
    "[spid_policy]\n"
    "policyIdentifier = 1.3.76.16.4.3.1\n"
    "userNotice.1 = @spid_notice\n"
    "[spid_notice]\n"
    "explicitText = \"cert_SP_Priv\"\n";

[[noreturn]] void fail(const std::string& what) {
  std::string reason;
  while (const unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    reason += reason.empty() ? ": " : "; ";
    reason += buffer;
  }
  throw std::runtime_error("OpenSSL: " + what + reason);
}

bool all_of(std::string_view s, int (*predicate)(int)) {
  return std::all_of(s.begin(), s.end(), [&](unsigned char c) { return predicate(c) != 0; });
}

bool printable_text(std::string_view s) {
  // UTF-8 is fine (O and L may well have accents); control characters are not.
  return std::none_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

void add_name_entry(X509_NAME* name, int nid, const std::string& value) {
  if (X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(value.data()),
                                 static_cast<int>(value.size()), -1, 0) != 1)
    fail(std::string("subject ") + OBJ_nid2sn(nid));
}

std::string pem_of(const std::function<int(BIO*)>& write) {
  base::openssl_ptr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get()) != 1) fail("PEM encoding");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

std::vector<std::string> validate(const sp_certificate_request& r) {
  std::vector<std::string> errors;
  if (!(r.entity_id.starts_with("https://") || r.entity_id.starts_with("http://")) ||
      r.entity_id.find_first_of(" \t\r\n") != std::string::npos)
    errors.emplace_back("entity ID: an http(s) URL is required");
  if (r.common_name.empty() || !printable_text(r.common_name))
    errors.emplace_back("common name (CN): required, no control characters");
  if (r.organization.empty() || !printable_text(r.organization))
    errors.emplace_back("organization (O): required, no control characters");
  if (r.locality.empty() || !printable_text(r.locality))
    errors.emplace_back("locality (L): required, no control characters");
  if (r.country.size() != 2 || !all_of(r.country, isupper))
    errors.emplace_back("country (C): two capital letters (IT)");
  if (r.key_bits != 2048 && r.key_bits != 3072 && r.key_bits != 4096)
    errors.emplace_back("key size: 2048, 3072 or 4096 bits");
  if (r.validity.count() < 1 || r.validity.count() > 3650)
    errors.emplace_back("validity: 1 to 3650 days");
  if (r.sector == sp_sector::public_sector) {
    if (r.ipa_code.empty() || r.ipa_code.size() > 11 || !all_of(r.ipa_code, isgraph))
      errors.emplace_back("IPA code: 1 to 11 characters without spaces (public SP)");
    if (!r.vat_number.empty() || !r.fiscal_code.empty())
      errors.emplace_back(
          "a public SP is identified by its IPA code, not a VAT number or fiscal code");
  } else {
    if (!r.ipa_code.empty())
      errors.emplace_back("a private SP has a VAT number or a fiscal code, not an IPA code");
    if (r.vat_number.empty() == r.fiscal_code.empty())
      errors.emplace_back("a private SP needs exactly one of VAT number and fiscal code");
    if (!r.vat_number.empty() && (r.vat_number.size() != 11 || !all_of(r.vat_number, isdigit)))
      errors.emplace_back("VAT number: 11 digits");
    if (!r.fiscal_code.empty() && (r.fiscal_code.size() != 16 || !all_of(r.fiscal_code, isalnum)))
      errors.emplace_back("fiscal code: 16 letters and digits");
  }
  return errors;
}

std::string organization_identifier(const sp_certificate_request& r) {
  if (r.sector == sp_sector::public_sector) return "PA:IT-" + r.ipa_code;
  if (!r.vat_number.empty()) return "VATIT-" + r.vat_number;
  std::string cf = r.fiscal_code;
  std::transform(cf.begin(), cf.end(), cf.begin(), [](unsigned char c) { return std::toupper(c); });
  return "CF:IT-" + cf;
}

generated_credentials generate_sp_certificate(const sp_certificate_request& r) {
  if (const auto errors = validate(r); !errors.empty()) {
    std::string text;
    for (const auto& e : errors) text += (text.empty() ? "" : "; ") + e;
    throw std::invalid_argument(text);
  }
  ERR_clear_error();

  base::openssl_ptr<EVP_PKEY> key(
      EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(r.key_bits)));
  if (!key) fail("RSA key generation");

  base::openssl_ptr<X509> cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) fail("X509_new");

  // 159 random bits with the top one set: positive, never zero, exactly 20 bytes in DER.
  base::openssl_ptr<BIGNUM> serial(BN_new());
  if (!serial || BN_rand(serial.get(), 159, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) != 1 ||
      !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
    fail("serial number");

  const auto from = r.not_before.value_or(
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
  const auto until = from + std::chrono::duration_cast<std::chrono::seconds>(r.validity);
  if (!ASN1_TIME_set(X509_getm_notBefore(cert.get()), std::chrono::system_clock::to_time_t(from)) ||
      !ASN1_TIME_set(X509_getm_notAfter(cert.get()), std::chrono::system_clock::to_time_t(until)))
    fail("validity");

  X509_NAME* subject = X509_get_subject_name(cert.get());  // owned by cert
  add_name_entry(subject, NID_commonName, r.common_name);
  add_name_entry(subject, NID_organizationName, r.organization);
  const base::openssl_ptr<ASN1_OBJECT> uri(OBJ_txt2obj(uri_oid, 1));
  if (!uri || X509_NAME_add_entry_by_OBJ(subject, uri.get(), MBSTRING_UTF8,
                                         reinterpret_cast<const unsigned char*>(r.entity_id.data()),
                                         static_cast<int>(r.entity_id.size()), -1, 0) != 1)
    fail("subject uri");
  add_name_entry(subject, NID_organizationIdentifier, organization_identifier(r));
  add_name_entry(subject, NID_countryName, r.country);
  add_name_entry(subject, NID_localityName, r.locality);
  if (X509_set_issuer_name(cert.get(), subject) != 1) fail("issuer");  // self-signed
  if (X509_set_pubkey(cert.get(), key.get()) != 1) fail("public key");

  const std::string_view policies =
      r.sector == sp_sector::public_sector ? public_policies : private_policies;
  const base::openssl_ptr<CONF> conf(NCONF_new(nullptr));
  const base::openssl_ptr<BIO> conf_text(
      BIO_new_mem_buf(policies.data(), static_cast<int>(policies.size())));
  long error_line = 0;
  if (!conf || !conf_text || NCONF_load_bio(conf.get(), conf_text.get(), &error_line) != 1)
    fail("policy configuration");
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  X509V3_set_nconf(&ctx, conf.get());
  const std::pair<const char*, const char*> extensions[] = {
      {"basicConstraints", "CA:FALSE"},
      {"keyUsage", "critical,digitalSignature,nonRepudiation"},
      {"certificatePolicies", "@agid_policy,@spid_policy"},
  };
  for (const auto& [name, value] : extensions) {
    const base::openssl_ptr<X509_EXTENSION> extension(
        X509V3_EXT_nconf(conf.get(), &ctx, name, value));
    if (!extension || X509_add_ext(cert.get(), extension.get(), -1) != 1) fail(name);
  }

  const EVP_MD* digest = r.digest == sp_digest::sha512 ? EVP_sha512() : EVP_sha256();
  if (X509_sign(cert.get(), key.get(), digest) <= 0) fail("signing");

  generated_credentials out;
  out.key_pem = pem_of([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  out.cert_pem = pem_of([&](BIO* bio) { return PEM_write_bio_X509(bio, cert.get()); });
  return out;
}

}  // namespace varco::saml::certgen
