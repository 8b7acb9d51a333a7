// unique_ptr ownership of every OpenSSL object varco holds: one overloaded deleter, picked by the
// pointee type, so no code path frees by hand: `openssl_ptr<X509> cert(PEM_read_bio_X509(...));`.
#pragma once

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/conf.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace varco::base {

struct openssl_deleter {
  void operator()(X509* p) const noexcept { X509_free(p); }
  void operator()(X509_EXTENSION* p) const noexcept { X509_EXTENSION_free(p); }
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
  void operator()(EVP_CIPHER_CTX* p) const noexcept { EVP_CIPHER_CTX_free(p); }
  void operator()(BIO* p) const noexcept { BIO_free_all(p); }
  void operator()(BIGNUM* p) const noexcept { BN_free(p); }
  void operator()(ECDSA_SIG* p) const noexcept { ECDSA_SIG_free(p); }
  void operator()(ASN1_OBJECT* p) const noexcept { ASN1_OBJECT_free(p); }
  void operator()(CONF* p) const noexcept { NCONF_free(p); }
  void operator()(CERTIFICATEPOLICIES* p) const noexcept { CERTIFICATEPOLICIES_free(p); }
  void operator()(BASIC_CONSTRAINTS* p) const noexcept { BASIC_CONSTRAINTS_free(p); }
  void operator()(OSSL_PARAM_BLD* p) const noexcept { OSSL_PARAM_BLD_free(p); }
  void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
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

}  // namespace varco::base
