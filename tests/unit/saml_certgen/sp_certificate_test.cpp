// The generated certificate read back with OpenSSL, attribute by attribute and extension by
// extension, and once more with the `openssl` command as an independent reader.
#include "saml/certgen/sp_certificate.hpp"

#include "base/openssl_handles.hpp"

#include <gtest/gtest.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <stdexcept>

namespace varco::saml::certgen {
namespace {

using namespace std::chrono;

sp_certificate_request public_request() {
  sp_certificate_request r;
  r.entity_id = "https://spid.comune.roma.it";
  r.common_name = "Comune di Roma";
  r.organization = "Roma Capitale";
  r.locality = "Roma";
  r.ipa_code = "c_h501";
  r.not_before = sys_seconds{sys_days{2026y / November / 28}};
  return r;
}

sp_certificate_request private_request() {
  sp_certificate_request r = public_request();
  r.sector = sp_sector::private_sector;
  r.ipa_code.clear();
  r.vat_number = "12345678901";
  r.organization = "Società Esempio S.p.A.";
  r.locality = "Forlì";
  r.key_bits = 2048;
  r.digest = sp_digest::sha512;
  return r;
}

base::openssl_ptr<X509> parse(const std::string& pem) {
  base::openssl_ptr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return base::openssl_ptr<X509>(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

base::openssl_ptr<EVP_PKEY> parse_key(const std::string& pem) {
  base::openssl_ptr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return base::openssl_ptr<EVP_PKEY>(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

// The subject as (dotted OID → UTF-8 value), and how many entries it has.
std::multimap<std::string, std::string> subject_of(X509* cert) {
  std::multimap<std::string, std::string> out;
  const X509_NAME* name = X509_get_subject_name(cert);
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    std::array<char, 80> oid{};
    OBJ_obj2txt(oid.data(), oid.size(), X509_NAME_ENTRY_get_object(entry), 1);
    const ASN1_STRING* value = X509_NAME_ENTRY_get_data(entry);
    out.emplace(oid.data(), std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                                        static_cast<std::size_t>(ASN1_STRING_length(value))));
  }
  return out;
}

std::string value_of(const std::multimap<std::string, std::string>& subject, const char* oid) {
  EXPECT_EQ(subject.count(oid), 1u) << oid;
  const auto it = subject.find(oid);
  return it == subject.end() ? std::string() : it->second;
}

struct policy {
  std::string oid;
  std::string explicit_text;
};

std::vector<policy> policies_of(X509* cert, int& critical) {
  std::vector<policy> out;
  base::openssl_ptr<CERTIFICATEPOLICIES> policies(static_cast<CERTIFICATEPOLICIES*>(
      X509_get_ext_d2i(cert, NID_certificate_policies, &critical, nullptr)));
  if (!policies) return out;
  for (int i = 0; i < sk_POLICYINFO_num(policies.get()); ++i) {
    const POLICYINFO* info = sk_POLICYINFO_value(policies.get(), i);
    policy p;
    std::array<char, 80> oid{};
    OBJ_obj2txt(oid.data(), oid.size(), info->policyid, 1);
    p.oid = oid.data();
    for (int q = 0; q < sk_POLICYQUALINFO_num(info->qualifiers); ++q) {
      const POLICYQUALINFO* qualifier = sk_POLICYQUALINFO_value(info->qualifiers, q);
      if (OBJ_obj2nid(qualifier->pqualid) == NID_id_qt_unotice && qualifier->d.usernotice &&
          qualifier->d.usernotice->exptext) {
        const ASN1_STRING* text = qualifier->d.usernotice->exptext;
        p.explicit_text.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                               static_cast<std::size_t>(ASN1_STRING_length(text)));
      }
    }
    out.push_back(p);
  }
  return out;
}

bool critical(X509* cert, int nid) {
  const int index = X509_get_ext_by_NID(cert, nid, -1);
  EXPECT_GE(index, 0) << OBJ_nid2sn(nid);
  return index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert, index)) == 1;
}

TEST(sp_certificate, public_sp_certificate_has_every_avviso_29_element) {
  const auto request = public_request();
  const auto generated = generate_sp_certificate(request);
  const auto cert = parse(generated.cert_pem);
  ASSERT_TRUE(cert);

  // Subject: exactly the six attributes, self-issued.
  const auto subject = subject_of(cert.get());
  EXPECT_EQ(subject.size(), 6u);
  EXPECT_EQ(value_of(subject, "2.5.4.3"), "Comune di Roma");    // CN
  EXPECT_EQ(value_of(subject, "2.5.4.10"), "Roma Capitale");    // O
  EXPECT_EQ(value_of(subject, "2.5.4.83"), request.entity_id);  // uri
  EXPECT_EQ(value_of(subject, "2.5.4.97"), "PA:IT-c_h501");     // organizationIdentifier
  EXPECT_EQ(value_of(subject, "2.5.4.6"), "IT");                // C
  EXPECT_EQ(value_of(subject, "2.5.4.7"), "Roma");              // L
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())), 0);
  EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);

  // Key and signature.
  EVP_PKEY* public_key = X509_get0_pubkey(cert.get());
  ASSERT_TRUE(public_key);
  EXPECT_EQ(EVP_PKEY_get_base_id(public_key), EVP_PKEY_RSA);
  EXPECT_EQ(EVP_PKEY_get_bits(public_key), 3072);
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_sha256WithRSAEncryption);
  EXPECT_EQ(X509_verify(cert.get(), public_key), 1);
  const auto key = parse_key(generated.key_pem);
  ASSERT_TRUE(key);
  EXPECT_EQ(X509_check_private_key(cert.get(), key.get()), 1);

  // Exactly the three extensions, with the right criticality.
  EXPECT_EQ(X509_get_ext_count(cert.get()), 3);
  EXPECT_TRUE(critical(cert.get(), NID_key_usage));
  EXPECT_EQ(X509_get_key_usage(cert.get()),
            std::uint32_t(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION));
  EXPECT_FALSE(critical(cert.get(), NID_basic_constraints));
  int bc_critical = -1;
  base::openssl_ptr<BASIC_CONSTRAINTS> constraints(static_cast<BASIC_CONSTRAINTS*>(
      X509_get_ext_d2i(cert.get(), NID_basic_constraints, &bc_critical, nullptr)));
  ASSERT_TRUE(constraints);
  EXPECT_EQ(constraints->ca, 0);
  EXPECT_EQ(X509_check_ca(cert.get()), 0);
  int policies_critical = -1;
  const auto policies = policies_of(cert.get(), policies_critical);
  EXPECT_EQ(policies_critical, 0);
  ASSERT_EQ(policies.size(), 2u);
  EXPECT_EQ(policies[0].oid, "1.3.76.16.6");
  EXPECT_EQ(policies[0].explicit_text, "agIDcert");
  EXPECT_EQ(policies[1].oid, "1.3.76.16.4.2.1");
  EXPECT_EQ(policies[1].explicit_text, "cert_SP_Pub");

  // Serial: 159 random bits with the top one set, so positive and 20 bytes.
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert.get());
  EXPECT_EQ(ASN1_STRING_length(serial), 20);
  EXPECT_EQ(ASN1_STRING_type(serial), V_ASN1_INTEGER);  // not negative

  // Validity: from the requested instant, 730 days.
  int days = 0, seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert.get()),
                           X509_get0_notAfter(cert.get())),
            1);
  EXPECT_EQ(days, 730);
  EXPECT_EQ(seconds, 0);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notBefore(cert.get()),
                                 system_clock::to_time_t(*request.not_before)),
            0);
}

TEST(sp_certificate, private_sp_certificate_uses_the_private_policy_and_vat_identifier) {
  const auto generated = generate_sp_certificate(private_request());
  const auto cert = parse(generated.cert_pem);
  ASSERT_TRUE(cert);
  const auto subject = subject_of(cert.get());
  EXPECT_EQ(value_of(subject, "2.5.4.97"), "VATIT-12345678901");
  EXPECT_EQ(value_of(subject, "2.5.4.10"), "Società Esempio S.p.A.");  // UTF-8 kept
  EXPECT_EQ(value_of(subject, "2.5.4.7"), "Forlì");
  EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(cert.get())), 2048);
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_sha512WithRSAEncryption);
  int policies_critical = -1;
  const auto policies = policies_of(cert.get(), policies_critical);
  ASSERT_EQ(policies.size(), 2u);
  EXPECT_EQ(policies[0].oid, "1.3.76.16.6");
  EXPECT_EQ(policies[1].oid, "1.3.76.16.4.3.1");
  EXPECT_EQ(policies[1].explicit_text, "cert_SP_Priv");
}

TEST(sp_certificate, a_private_sp_may_be_identified_by_its_fiscal_code) {
  auto request = private_request();
  request.vat_number.clear();
  request.fiscal_code = "rssmra80a01h501u";
  EXPECT_EQ(organization_identifier(request), "CF:IT-RSSMRA80A01H501U");
  const auto cert = parse(generate_sp_certificate(request).cert_pem);
  ASSERT_TRUE(cert);
  EXPECT_EQ(value_of(subject_of(cert.get()), "2.5.4.97"), "CF:IT-RSSMRA80A01H501U");
}

TEST(sp_certificate, serial_numbers_differ) {
  auto request = private_request();
  const auto a = parse(generate_sp_certificate(request).cert_pem);
  const auto b = parse(generate_sp_certificate(request).cert_pem);
  ASSERT_TRUE(a && b);
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(a.get()), X509_get0_serialNumber(b.get())), 0);
}

TEST(sp_certificate, invalid_requests_are_refused_with_a_reason) {
  struct bad_case {
    const char* what;
    void (*change)(sp_certificate_request&);
  };
  const bad_case cases[] = {
      {"entity ID", [](sp_certificate_request& r) { r.entity_id = "spid.comune.roma.it"; }},
      {"common name", [](sp_certificate_request& r) { r.common_name.clear(); }},
      {"organization", [](sp_certificate_request& r) { r.organization = "a\nb"; }},
      {"locality", [](sp_certificate_request& r) { r.locality.clear(); }},
      {"country", [](sp_certificate_request& r) { r.country = "Italy"; }},
      {"key size", [](sp_certificate_request& r) { r.key_bits = 1024; }},
      {"validity", [](sp_certificate_request& r) { r.validity = days{0}; }},
      {"IPA code", [](sp_certificate_request& r) { r.ipa_code = "has space"; }},
      {"IPA code", [](sp_certificate_request& r) { r.ipa_code = "c_h501_too_long"; }},
      {"public SP", [](sp_certificate_request& r) { r.vat_number = "12345678901"; }},
      {"exactly one",
       [](sp_certificate_request& r) {
         r.sector = sp_sector::private_sector;
         r.ipa_code.clear();
       }},
      {"VAT number",
       [](sp_certificate_request& r) {
         r.sector = sp_sector::private_sector;
         r.ipa_code.clear();
         r.vat_number = "IT12345678901";
       }},
      {"fiscal code",
       [](sp_certificate_request& r) {
         r.sector = sp_sector::private_sector;
         r.ipa_code.clear();
         r.fiscal_code = "RSSMRA80A01";
       }},
  };
  for (const auto& c : cases) {
    auto request = public_request();
    c.change(request);
    const auto errors = validate(request);
    ASSERT_EQ(errors.size(), 1u) << c.what;
    EXPECT_NE(errors[0].find(c.what), std::string::npos) << errors[0];
    EXPECT_THROW(generate_sp_certificate(request), std::invalid_argument) << c.what;
  }
  EXPECT_TRUE(validate(public_request()).empty());
  EXPECT_TRUE(validate(private_request()).empty());
}

// An independent reader: the openssl command prints what a human (or AgID) would see.
TEST(sp_certificate, the_openssl_command_reads_the_policies_and_usages) {
  const auto generated = generate_sp_certificate(public_request());
  std::random_device random;
  const auto path = std::filesystem::temp_directory_path() /
                    ("varco-sp-cert-" + std::to_string(random()) + ".pem");
  std::ofstream(path) << generated.cert_pem;
  std::string text;
  if (FILE* pipe = ::popen(("openssl x509 -noout -text -in " + path.string()).c_str(), "r")) {
    std::array<char, 4096> buffer{};
    while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
      text.append(buffer.data(), n);
    EXPECT_EQ(::pclose(pipe), 0);
  }
  std::filesystem::remove(path);
  for (const char* expected :
       {"Policy: 1.3.76.16.6", "Explicit Text: agIDcert", "Policy: 1.3.76.16.4.2.1",
        "Explicit Text: cert_SP_Pub", "X509v3 Key Usage: critical",
        "Digital Signature, Non Repudiation", "CA:FALSE", "Public-Key: (3072 bit)",
        "Signature Algorithm: sha256WithRSAEncryption", "organizationIdentifier = PA:IT-c_h501",
        "https://spid.comune.roma.it", "C = IT", "L = Roma", "O = Roma Capitale",
        "CN = Comune di Roma"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  EXPECT_EQ(text.find("X509v3 Basic Constraints: critical"), std::string::npos);
  EXPECT_EQ(text.find("X509v3 Certificate Policies: critical"), std::string::npos);
}

}  // namespace
}  // namespace varco::saml::certgen
