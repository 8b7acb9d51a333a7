// unique_ptr deleters for the OpenSSL handles the saml module owns. One overloaded deleter, picked
// by the pointee type: `openssl_ptr<X509> cert(PEM_read_bio_X509(...));`.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

namespace varco::saml {

struct openssl_deleter {
  void operator()(X509* p) const noexcept { X509_free(p); }
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
  void operator()(BIO* p) const noexcept { BIO_free_all(p); }
  void operator()(BIGNUM* p) const noexcept { BN_free(p); }
  void operator()(ECDSA_SIG* p) const noexcept { ECDSA_SIG_free(p); }
  void operator()(unsigned char* p) const noexcept { OPENSSL_free(p); }  // i2d_* output
};

template <class T>
using openssl_ptr = std::unique_ptr<T, openssl_deleter>;

// OpenSSL keeps failures in a per-thread queue. A refused signature must not leave entries there:
// the gateway's TLS code on the same thread reads that queue (SSL_get_error) and would see them.
class openssl_error_scope {
 public:
  openssl_error_scope() = default;
  openssl_error_scope(const openssl_error_scope&) = delete;
  openssl_error_scope& operator=(const openssl_error_scope&) = delete;
  ~openssl_error_scope() { ERR_clear_error(); }
};

}  // namespace varco::saml
