// OpenSSL objects used by the certificate generator, each owned by a std::unique_ptr with a named
// deleter so no code path frees by hand. (The generator is a self-contained target; the shared
// SAML credentials code keeps its own handles.)
#pragma once

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/conf.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace varco::saml::certgen::ossl {

struct bio_deleter {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct pkey_deleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct x509_deleter {
  void operator()(X509* p) const { X509_free(p); }
};
struct x509_extension_deleter {
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
struct bignum_deleter {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct asn1_object_deleter {
  void operator()(ASN1_OBJECT* p) const { ASN1_OBJECT_free(p); }
};
struct conf_deleter {
  void operator()(CONF* p) const { NCONF_free(p); }
};
struct certificate_policies_deleter {
  void operator()(CERTIFICATEPOLICIES* p) const { CERTIFICATEPOLICIES_free(p); }
};
struct basic_constraints_deleter {
  void operator()(BASIC_CONSTRAINTS* p) const { BASIC_CONSTRAINTS_free(p); }
};

using bio_ptr = std::unique_ptr<BIO, bio_deleter>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;
using x509_ptr = std::unique_ptr<X509, x509_deleter>;
using x509_extension_ptr = std::unique_ptr<X509_EXTENSION, x509_extension_deleter>;
using bignum_ptr = std::unique_ptr<BIGNUM, bignum_deleter>;
using asn1_object_ptr = std::unique_ptr<ASN1_OBJECT, asn1_object_deleter>;
using conf_ptr = std::unique_ptr<CONF, conf_deleter>;
using certificate_policies_ptr = std::unique_ptr<CERTIFICATEPOLICIES, certificate_policies_deleter>;
using basic_constraints_ptr = std::unique_ptr<BASIC_CONSTRAINTS, basic_constraints_deleter>;

}  // namespace varco::saml::certgen::ossl
