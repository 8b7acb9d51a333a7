// libFuzzer target: arbitrary bytes as a JWS, a JWE, a JWK set and JWT claims — what an OpenID
// Provider, a federation entity or a browser can hand varco.
//
// Invariants: nothing made of these bytes verifies or decrypts (that would be a forgery); what
// base64url accepts is canonical (it encodes back to the same text).
#include "base/base64.hpp"
#include "jose/claims.hpp"
#include "jose/jwe.hpp"
#include "jose/jws.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <openssl/pem.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>

namespace {

using namespace varco;

base::openssl_ptr<EVP_PKEY> read_key(const char* path, bool private_key) {
  base::openssl_ptr<BIO> bio(BIO_new_file(path, "r"));
  if (!bio) return nullptr;
  return base::openssl_ptr<EVP_PKEY>(
      private_key ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                  : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
}

struct keys {
  jose::jwk_set verification;
  std::array<jose::decryption_key, 1> decryption;
  keys() {
    // The test EC key's public half, and the SP's RSA key for decryption.
    auto ec = read_key(VARCO_FUZZ_EC_KEY, true);
    auto json = jose::public_jwk_json(ec.get(), "ec", "sig", "");
    if (json) verification.add(jose::parse_public_jwk(*json).value());
    decryption[0].kid = "enc";
    decryption[0].key = read_key(VARCO_FUZZ_SP_KEY, true);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const keys k;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  VARCO_FUZZ_CHECK(!jose::verify_jws(input, k.verification, jose::jws_policy{}));
  VARCO_FUZZ_CHECK(!jose::decrypt_jwe(input, k.decryption, jose::jwe_policy{}));
  if (auto decoded = jose::decode_base64url(input))
    VARCO_FUZZ_CHECK(base::base64url_encode(*decoded) == input);
  (void)jose::jwk_set::parse(input);
  if (auto claims = jose::parse_claims(input)) {
    jose::claim_expectations expected;
    expected.issuer = "https://op.test";
    expected.audience = "https://rp.test";
    expected.now = std::chrono::system_clock::now();
    (void)jose::check_claims(*claims, expected);
  }
  return 0;
}
