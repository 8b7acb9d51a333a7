#include "saml/credentials.hpp"

#include "base/base64.hpp"
#include "base/openssl_handles.hpp"
#include "testdata.hpp"

#include <gtest/gtest.h>
#include <openssl/pem.h>

#include <string>

namespace varco::saml {
namespace {

using test::read_file;
using test::testdata_path;

TEST(certificate, loads_pem_and_names_its_subject) {
  auto cert = certificate::from_pem(read_file(testdata_path("idp.crt")));
  ASSERT_TRUE(cert) << cert.error();
  EXPECT_NE(cert->subject().find("CN=varco test idp"), std::string::npos) << cert->subject();
  EXPECT_NE(cert->public_key(), nullptr);
}

TEST(certificate, loads_base64_der_with_metadata_line_breaks) {
  const auto pem = certificate::from_pem(read_file(testdata_path("idp.crt"))).value();
  std::string wrapped;
  const std::string one_line = pem.base64_der();
  for (std::size_t i = 0; i < one_line.size(); i += 64)
    wrapped += "\n      " + one_line.substr(i, 64);
  wrapped += "\n    ";
  auto der = certificate::from_base64_der(wrapped);
  ASSERT_TRUE(der) << der.error();
  EXPECT_EQ(*der, pem);
  EXPECT_EQ(der->base64_der(), one_line);
  EXPECT_EQ(one_line.find_first_of(" \n"), std::string::npos);
}

TEST(certificate, refuses_what_is_not_a_certificate) {
  EXPECT_EQ(certificate::from_pem("hello").error().code, reason::bad_encoding);
  EXPECT_EQ(certificate::from_base64_der("not base64!").error().code, reason::bad_encoding);
  EXPECT_EQ(certificate::from_base64_der(base::base64_encode("garbage")).error().code,
            reason::bad_encoding);
  const auto cert = test::cert("idp");
  EXPECT_EQ(certificate::from_base64_der(base::base64_encode(cert.der() + "x")).error().code,
            reason::bad_encoding);
}

TEST(certificate, copies_share_the_x509_and_compare_by_der) {
  const auto idp = test::cert("idp");
  const certificate copy = idp;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.get(), idp.get());
  EXPECT_EQ(copy, idp);
  EXPECT_FALSE(copy == test::cert("sp"));
  certificate assigned = test::cert("sp");
  assigned = idp;
  EXPECT_EQ(assigned, idp);
}

TEST(signing_credentials, loads_a_matching_rsa_key_and_certificate) {
  auto creds = signing_credentials::from_files(testdata_path("sp.key"), testdata_path("sp.crt"));
  ASSERT_TRUE(creds) << creds.error();
  EXPECT_EQ(creds->cert(), test::cert("sp"));
  EXPECT_EQ(EVP_PKEY_get_base_id(creds->key()), EVP_PKEY_RSA);
  const signing_credentials copy = *creds;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.key(), creds->key());
}

TEST(signing_credentials, refuses_a_key_of_another_certificate) {
  auto creds = signing_credentials::from_files(testdata_path("sp.key"), testdata_path("idp.crt"));
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, reason::key_not_trusted);
  EXPECT_NE(creds.error().detail.find("sp.key"), std::string::npos) << creds.error();
}

TEST(signing_credentials, refuses_a_non_rsa_key) {
  auto creds = signing_credentials::from_files(testdata_path("ec.key"), testdata_path("ec.crt"));
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, reason::signature_algorithm_forbidden);
}

TEST(signing_credentials, refuses_a_missing_file) {
  auto creds = signing_credentials::from_files(testdata_path("nope.key"), testdata_path("sp.crt"));
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, reason::internal_error);
}

TEST(signing_credentials, refuses_an_encrypted_key_without_prompting) {
  // Re-encrypt the test key in memory: an encrypted key must fail to load, not wait on a tty.
  const auto plain = test::credentials("sp");
  base::openssl_ptr<BIO> bio(BIO_new(BIO_s_mem()));
  ASSERT_TRUE(bio);
  char passphrase[] = "secret";
  ASSERT_EQ(
      PEM_write_bio_PKCS8PrivateKey(bio.get(), plain.key(), EVP_aes_128_cbc(), passphrase,
                                    static_cast<int>(sizeof passphrase - 1), nullptr, nullptr),
      1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  const std::string encrypted(data, static_cast<std::size_t>(size));
  ASSERT_NE(encrypted.find("ENCRYPTED"), std::string::npos);
  auto creds = signing_credentials::from_pem(encrypted, read_file(testdata_path("sp.crt")));
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, reason::bad_encoding);
}

}  // namespace
}  // namespace varco::saml
