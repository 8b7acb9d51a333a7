// OpenSSL objects used by policies/, each owned by a std::unique_ptr with a named deleter so no
// code path frees by hand.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>

namespace varco::policies::ossl {

struct bio_deleter {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct pkey_deleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct pkey_ctx_deleter {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct md_ctx_deleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct bignum_deleter {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct ecdsa_sig_deleter {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
struct param_bld_deleter {
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct params_deleter {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};

using bio_ptr = std::unique_ptr<BIO, bio_deleter>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;
using pkey_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, pkey_ctx_deleter>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, md_ctx_deleter>;
using bignum_ptr = std::unique_ptr<BIGNUM, bignum_deleter>;
using ecdsa_sig_ptr = std::unique_ptr<ECDSA_SIG, ecdsa_sig_deleter>;
using param_bld_ptr = std::unique_ptr<OSSL_PARAM_BLD, param_bld_deleter>;
using params_ptr = std::unique_ptr<OSSL_PARAM, params_deleter>;

}  // namespace varco::policies::ossl
