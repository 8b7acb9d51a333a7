// X.509 certificates (an IdP's, from its metadata) and the SP's signing key with its certificate.
//
// Thread-safety: both types are immutable after construction. Copies share the OpenSSL object by
// reference count (X509_up_ref / EVP_PKEY_up_ref), and OpenSSL 3 allows concurrent read-only use
// of a shared X509 or EVP_PKEY (verification, signing with a fresh EVP_MD_CTX), so they can sit in
// an idp_set snapshot or a configuration read by every worker thread.
#pragma once

#include "base/openssl_handles.hpp"
#include "saml/errors.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace varco::saml {

class certificate {
 public:
  static outcome<certificate> from_pem(std::string_view pem);
  // The base64 DER text of a ds:X509Certificate; whitespace and line breaks are tolerated.
  static outcome<certificate> from_base64_der(std::string_view base64);

  certificate(const certificate& other);
  certificate& operator=(const certificate& other);
  certificate(certificate&&) noexcept = default;
  certificate& operator=(certificate&&) noexcept = default;

  X509* get() const noexcept { return x509_.get(); }
  EVP_PKEY* public_key() const noexcept;  // owned by the certificate
  const std::string& der() const noexcept { return der_; }
  std::string base64_der() const;  // one line, no whitespace
  std::string subject() const;     // RFC 2253, e.g. "CN=idp,O=Example,C=IT"

  friend bool operator==(const certificate& a, const certificate& b) noexcept {
    return a.der_ == b.der_;
  }

 private:
  certificate(base::openssl_ptr<X509> x509, std::string der);
  static outcome<certificate> adopt(base::openssl_ptr<X509> x509);

  base::openssl_ptr<X509> x509_;
  std::string der_;  // cached at load: equality and KeyInfo writing never touch OpenSSL
};

class signing_credentials {
 public:
  // An unencrypted PEM private key (PKCS#8 or traditional) and its certificate. Refused unless the
  // key is RSA of at least 2048 bits (SPID, RULES.md §1) and matches the certificate.
  static outcome<signing_credentials> from_pem(std::string_view key_pem, std::string_view cert_pem);
  static outcome<signing_credentials> from_files(const std::filesystem::path& key_file,
                                                 const std::filesystem::path& cert_file);

  signing_credentials(const signing_credentials& other);
  signing_credentials& operator=(const signing_credentials& other);
  signing_credentials(signing_credentials&&) noexcept = default;
  signing_credentials& operator=(signing_credentials&&) noexcept = default;

  const certificate& cert() const noexcept { return cert_; }
  EVP_PKEY* key() const noexcept { return key_.get(); }

 private:
  signing_credentials(base::openssl_ptr<EVP_PKEY> key, certificate cert);

  base::openssl_ptr<EVP_PKEY> key_;
  certificate cert_;
};

}  // namespace varco::saml
