#include "saml/credentials.hpp"

#include "base/base64.hpp"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <iterator>
#include <sstream>

namespace varco::saml {
namespace {

// Larger than any real certificate or key; bounds what a bad file can make us allocate.
constexpr std::size_t max_pem_bytes = 64 * 1024;
constexpr std::size_t max_der_bytes = 32 * 1024;
constexpr int min_rsa_bits = 2048;

base::openssl_ptr<BIO> memory_bio(std::string_view bytes) {
  return base::openssl_ptr<BIO>(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

// An encrypted key must fail to load, never prompt on the terminal.
int no_passphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) { return -1; }

outcome<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return failure{reason::internal_error, "cannot open " + path.string()};
  std::string bytes;
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return failure{reason::internal_error, "cannot read " + path.string()};
  if (bytes.size() > max_pem_bytes) {
    return failure{reason::message_too_large, path.string() + " is too large for a PEM file"};
  }
  return bytes;
}

}  // namespace

certificate::certificate(base::openssl_ptr<X509> x509, std::string der)
    : x509_(std::move(x509)), der_(std::move(der)) {}

certificate::certificate(const certificate& other) : der_(other.der_) {
  if (other.x509_ && X509_up_ref(other.x509_.get()) == 1) x509_.reset(other.x509_.get());
}

certificate& certificate::operator=(const certificate& other) {
  if (this != &other) *this = certificate(other);
  return *this;
}

outcome<certificate> certificate::adopt(base::openssl_ptr<X509> x509) {
  unsigned char* raw = nullptr;
  const int size = i2d_X509(x509.get(), &raw);
  base::openssl_ptr<unsigned char> der(raw);
  if (size <= 0 || !der) return failure{reason::internal_error, "cannot encode the certificate"};
  if (X509_get0_pubkey(x509.get()) == nullptr) {
    return failure{reason::bad_encoding, "the certificate's public key is not supported"};
  }
  return certificate(std::move(x509), std::string(reinterpret_cast<const char*>(der.get()),
                                                  static_cast<std::size_t>(size)));
}

outcome<certificate> certificate::from_pem(std::string_view pem) {
  base::openssl_error_scope errors;
  if (pem.size() > max_pem_bytes) return failure{reason::message_too_large, "PEM too large"};
  auto bio = memory_bio(pem);
  if (!bio) return failure{reason::internal_error, "BIO_new_mem_buf"};
  base::openssl_ptr<X509> x509(PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr));
  if (!x509) return failure{reason::bad_encoding, "not a PEM certificate"};
  return adopt(std::move(x509));
}

outcome<certificate> certificate::from_base64_der(std::string_view base64) {
  base::openssl_error_scope errors;
  auto der = decode_base64(base64, max_der_bytes);
  if (!der) return der.error();
  const auto* cursor = reinterpret_cast<const unsigned char*>(der->data());
  base::openssl_ptr<X509> x509(d2i_X509(nullptr, &cursor, static_cast<long>(der->size())));
  if (!x509) return failure{reason::bad_encoding, "not a DER certificate"};
  if (cursor != reinterpret_cast<const unsigned char*>(der->data()) + der->size()) {
    return failure{reason::bad_encoding, "bytes after the DER certificate"};
  }
  return adopt(std::move(x509));
}

EVP_PKEY* certificate::public_key() const noexcept { return X509_get0_pubkey(x509_.get()); }

std::string certificate::base64_der() const { return base::base64_encode(der_); }

std::string certificate::subject() const {
  base::openssl_ptr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      X509_NAME_print_ex(bio.get(), X509_get_subject_name(x509_.get()), 0, XN_FLAG_RFC2253) < 0) {
    return {};
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

signing_credentials::signing_credentials(base::openssl_ptr<EVP_PKEY> key, certificate cert)
    : key_(std::move(key)), cert_(std::move(cert)) {}

signing_credentials::signing_credentials(const signing_credentials& other) : cert_(other.cert_) {
  if (other.key_ && EVP_PKEY_up_ref(other.key_.get()) == 1) key_.reset(other.key_.get());
}

signing_credentials& signing_credentials::operator=(const signing_credentials& other) {
  if (this != &other) *this = signing_credentials(other);
  return *this;
}

outcome<signing_credentials> signing_credentials::from_pem(std::string_view key_pem,
                                                           std::string_view cert_pem) {
  base::openssl_error_scope errors;
  auto cert = certificate::from_pem(cert_pem);
  if (!cert) return cert.error();
  if (key_pem.size() > max_pem_bytes) return failure{reason::message_too_large, "PEM too large"};
  auto bio = memory_bio(key_pem);
  if (!bio) return failure{reason::internal_error, "BIO_new_mem_buf"};
  base::openssl_ptr<EVP_PKEY> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key) return failure{reason::bad_encoding, "not an unencrypted PEM private key"};
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    return failure{reason::signature_algorithm_forbidden, "the signing key must be RSA"};
  }
  if (EVP_PKEY_get_bits(key.get()) < min_rsa_bits) {
    return failure{reason::signature_algorithm_forbidden,
                   "the RSA signing key must have at least 2048 bits"};
  }
  if (X509_check_private_key(cert->get(), key.get()) != 1) {
    return failure{reason::key_not_trusted, "the private key does not match the certificate"};
  }
  return signing_credentials(std::move(key), std::move(*cert));
}

outcome<signing_credentials> signing_credentials::from_files(
    const std::filesystem::path& key_file, const std::filesystem::path& cert_file) {
  auto key_pem = read_file(key_file);
  if (!key_pem) return key_pem.error();
  auto cert_pem = read_file(cert_file);
  if (!cert_pem) return cert_pem.error();
  auto creds = from_pem(*key_pem, *cert_pem);
  // Scrub our copy of the private key text; OpenSSL keeps its own.
  OPENSSL_cleanse(key_pem->data(), key_pem->size());
  if (!creds) {
    return failure{creds.error().code,
                   key_file.string() + " / " + cert_file.string() + ": " + creds.error().detail};
  }
  return creds;
}

}  // namespace varco::saml
