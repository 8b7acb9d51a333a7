#include "policies/jwt_signer.hpp"

#include "base/base64.hpp"
#include "base/openssl_handles.hpp"
#include "policies/errors.hpp"
#include "policies/identity_token.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace varco::policies {
namespace {

using namespace std::chrono_literals;

struct file_deleter {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// A fresh key per test, written where the signer reads it from.
std::string write_key(const std::string& name, bool public_only = false,
                      const char* curve = "P-256") {
  base::openssl_ptr<EVP_PKEY> key(EVP_EC_gen(curve));
  EXPECT_TRUE(key);
  std::string path = ::testing::TempDir() + "varco_policies_" + name + ".pem";
  base::openssl_ptr<BIO> bio(BIO_new_file(path.c_str(), "w"));
  EXPECT_TRUE(bio);
  if (public_only) {
    EXPECT_EQ(PEM_write_bio_PUBKEY(bio.get(), key.get()), 1);
  } else {
    EXPECT_EQ(PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr),
              1);
  }
  return path;
}

std::vector<std::string> split(const std::string& token) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot; (dot = token.find('.', start)) != std::string::npos; start = dot + 1) {
    parts.push_back(token.substr(start, dot - start));
  }
  parts.push_back(token.substr(start));
  return parts;
}

// The verifier knows only the JWKS: it rebuilds the public key from x and y.
base::openssl_ptr<EVP_PKEY> key_from_jwk(const boost::json::object& jwk) {
  const auto x = base::base64url_decode(jwk.at("x").as_string());
  const auto y = base::base64url_decode(jwk.at("y").as_string());
  if (!x || !y || x->size() != 32 || y->size() != 32) return nullptr;
  const std::string point = std::string("\x04", 1) + *x + *y;
  base::openssl_ptr<OSSL_PARAM_BLD> bld(OSSL_PARAM_BLD_new());
  OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  base::openssl_ptr<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(bld.get()));
  base::openssl_ptr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  return base::openssl_ptr<EVP_PKEY>(raw);
}

bool verify(const std::string& token, EVP_PKEY* key) {
  const auto parts = split(token);
  if (parts.size() != 3) return false;
  const auto raw = base::base64url_decode(parts[2]);
  if (!raw || raw->size() != 64) return false;
  // JWS r||s back to DER for OpenSSL.
  base::openssl_ptr<ECDSA_SIG> sig(ECDSA_SIG_new());
  base::openssl_ptr<BIGNUM> r(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(raw->data()), 32, nullptr));
  base::openssl_ptr<BIGNUM> s(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(raw->data()) + 32, 32, nullptr));
  if (ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return false;
  static_cast<void>(r.release());  // owned by sig from here
  static_cast<void>(s.release());
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(sig.get(), &der);
  const base::openssl_ptr<unsigned char> der_owner(der);
  const std::string signed_part = parts[0] + "." + parts[1];
  base::openssl_ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  return EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), der, static_cast<std::size_t>(der_len),
                          reinterpret_cast<const unsigned char*>(signed_part.data()),
                          signed_part.size()) == 1;
}

boost::json::object decode_part(const std::string& part) {
  const auto json = base::base64url_decode(part);
  EXPECT_TRUE(json);
  return boost::json::parse(json.value_or("{}")).as_object();
}

TEST(jwt_signer, signed_token_verifies_against_the_jwks) {
  auto signer = jwt_signer::from_pem_file(write_key("current"), "varco-2026-1", {});
  ASSERT_TRUE(signer) << signer.error().message();

  identity id;
  id.user_fiscal_number = "RSSMRA80A01H501U";
  id.uid = user_uid(id.user_fiscal_number);
  id.party_id = "party-1";
  id.product_id = "prod-pagopa";
  id.environment_id = "collaudo";
  const time_point now{1'700'000'000'000ms};
  id.session_expires_at = now + 10min;
  const auto token =
      signer->sign(identity_token_claims(id, "iss", "pagopa-collaudo", now, 15min, "j1"));
  ASSERT_FALSE(token.empty());

  const auto jwks = boost::json::parse(signer->jwks_json()).as_object();
  const auto& keys = jwks.at("keys").as_array();
  ASSERT_EQ(keys.size(), 1u);
  const auto& jwk = keys[0].as_object();
  EXPECT_EQ(jwk.at("kty"), "EC");
  EXPECT_EQ(jwk.at("crv"), "P-256");
  EXPECT_EQ(jwk.at("kid"), "varco-2026-1");
  EXPECT_EQ(jwk.at("use"), "sig");
  EXPECT_EQ(jwk.at("alg"), "ES256");
  EXPECT_EQ(jwk.count("d"), 0u);  // never the private part
  const auto pub = key_from_jwk(jwk);
  ASSERT_TRUE(pub);
  EXPECT_TRUE(verify(token, pub.get()));

  const auto parts = split(token);
  const auto header = decode_part(parts[0]);
  EXPECT_EQ(header, boost::json::parse(R"({"alg":"ES256","typ":"JWT","kid":"varco-2026-1"})"));
  const auto claims = decode_part(parts[1]);
  EXPECT_EQ(claims.at("aud"), "pagopa-collaudo");
  EXPECT_EQ(claims.at("sub"), id.uid.c_str());
  EXPECT_EQ(claims.at("organization").at("id"), "party-1");
  EXPECT_EQ(claims.at("exp").as_int64(), 1'700'000'600);  // capped at the session's expiry

  // A tampered payload no longer verifies.
  auto tampered_claims = claims;
  tampered_claims["fiscal_number"] = "VRDLGU85B02F205X";
  const auto tampered = parts[0] + "." +
                        base::base64url_encode(boost::json::serialize(tampered_claims)) + "." +
                        parts[2];
  EXPECT_FALSE(verify(tampered, pub.get()));
}

TEST(jwt_signer, publishes_previous_keys_with_thumbprint_kids) {
  const auto old_public = write_key("old_public", true);
  const auto old_private = write_key("old_private");
  auto old_signer = jwt_signer::from_pem_file(old_private, "", {});
  ASSERT_TRUE(old_signer);
  auto signer =
      jwt_signer::from_pem_file(write_key("rotated"), "new", {{old_public, ""}, {old_private, ""}});
  ASSERT_TRUE(signer) << signer.error().message();
  const auto keys = boost::json::parse(signer->jwks_json()).at("keys").as_array();
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0].at("kid"), "new");
  for (std::size_t i = 1; i < keys.size(); ++i) {
    const auto& k = keys[i].as_object();
    EXPECT_EQ(k.at("kid").as_string(),
              jwk_thumbprint(k.at("x").as_string(), k.at("y").as_string()));
  }
  // A token from before the rotation still verifies with the key now published as previous.
  EXPECT_EQ(keys[2].at("kid").as_string(), old_signer->kid());
  const auto token = old_signer->sign({{"sub", "x"}});
  EXPECT_TRUE(verify(token, key_from_jwk(keys[2].as_object()).get()));
  EXPECT_FALSE(verify(token, key_from_jwk(keys[0].as_object()).get()));
}

TEST(jwt_signer, publishes_previous_keys_with_their_configured_kid) {
  // Before the rotation: key A signs with kid "key-a". After: key B signs, A stays published.
  const auto a_private = write_key("a_private");
  auto before = jwt_signer::from_pem_file(a_private, "key-a", {});
  ASSERT_TRUE(before);
  const auto old_token = before->sign({{"sub", "x"}});
  auto after = jwt_signer::from_pem_file(write_key("b_private"), "key-b", {{a_private, "key-a"}});
  ASSERT_TRUE(after) << after.error().message();
  const auto keys = boost::json::parse(after->jwks_json()).at("keys").as_array();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].at("kid"), "key-b");
  EXPECT_EQ(keys[1].at("kid"), "key-a");
  // The old token's header names key-a, and the key published under key-a verifies it.
  EXPECT_EQ(decode_part(split(old_token)[0]).at("kid"), "key-a");
  EXPECT_TRUE(verify(old_token, key_from_jwk(keys[1].as_object()).get()));
}

TEST(jwt_signer, thumbprint_matches_rfc7638_example_shape) {
  // RFC 7638 hashes {"crv","kty","x","y"} in that order; check against a hand-built digest input.
  const std::string x = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
  const std::string y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
  const auto tp = jwk_thumbprint(x, y);
  EXPECT_EQ(tp.size(), 43u);  // 32 bytes, base64url
  EXPECT_EQ(tp, jwk_thumbprint(x, y));
  EXPECT_NE(tp, jwk_thumbprint(y, x));
}

TEST(jwt_signer, rejects_bad_key_files) {
  auto missing = jwt_signer::from_pem_file("/nonexistent/key.pem", "k", {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), key_errc::unreadable);

  const std::string junk = ::testing::TempDir() + "varco_policies_junk.pem";
  std::ofstream(junk) << "not a key\n";
  auto not_key = jwt_signer::from_pem_file(junk, "k", {});
  ASSERT_FALSE(not_key);
  EXPECT_EQ(not_key.error(), key_errc::not_a_key);

  auto wrong_curve = jwt_signer::from_pem_file(write_key("p384", false, "P-384"), "k", {});
  ASSERT_FALSE(wrong_curve);
  EXPECT_EQ(wrong_curve.error(), key_errc::not_p256);

  auto bad_previous = jwt_signer::from_pem_file(write_key("ok"), "k", {{junk, ""}});
  ASSERT_FALSE(bad_previous);
  EXPECT_EQ(bad_previous.error(), key_errc::not_a_key);
}

}  // namespace
}  // namespace varco::policies
