// UserInfo responses made by npm jose (a signed JWT encrypted to varco), read as a SPID login
// reads them.
#include "oidc/userinfo.hpp"

#include "tests/tools/jose-peer/run_peer.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>
#include <openssl/pem.h>

#include <array>
#include <string>

namespace varco::oidc {
namespace {

TEST(userinfo, every_response_of_the_peer_gets_its_verdict) {
  const auto peer =
      boost::json::parse(test::run_jose_peer("userinfo https://op.peer.test https://rp.varco.test "
                                             "TINIT-RSSMRA80A01H501U"))
          .as_object();
  auto op_keys = jose::jwk_set::parse(boost::json::serialize(peer.at("jwks")));
  ASSERT_TRUE(op_keys);
  const std::string pem(peer.at("enc_key").as_string());
  base::openssl_ptr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::array<jose::decryption_key, 1> rp{};
  rp[0].kid = "enc-1";
  rp[0].key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(rp[0].key);

  userinfo_expectations expected;
  expected.issuer = "https://op.peer.test";
  expected.client_id = "https://rp.varco.test";
  expected.subject = "TINIT-RSSMRA80A01H501U";
  std::size_t accepted = 0;
  for (const auto& item : peer.at("cases").as_array()) {
    const auto& c = item.as_object();
    auto claims = read_userinfo(c.at("token").as_string(), rp, *op_keys, expected);
    const std::string verdict = claims ? "ok" : std::string(reason_code(claims.error().code));
    EXPECT_EQ(verdict, c.at("expect").as_string()) << c.at("name").as_string();
    if (claims) {
      ++accepted;
      EXPECT_EQ(claims->at("https://attributes.eid.gov.it/fiscal_number"),
                "TINIT-RSSMRA80A01H501U");
    }
  }
  EXPECT_EQ(accepted, 2U);

  // A provider that signs without encrypting is read only when the caller allows it.
  const auto& signed_only = peer.at("cases").as_array()[2].as_object();
  ASSERT_EQ(signed_only.at("name"), "signed_only");
  expected.require_encryption = false;
  EXPECT_TRUE(read_userinfo(signed_only.at("token").as_string(), rp, *op_keys, expected));
  expected.subject.clear();  // without the ID Token's subject nothing is accepted
  EXPECT_EQ(read_userinfo(signed_only.at("token").as_string(), rp, *op_keys, expected).error().code,
            reason::subject_missing);
}

}  // namespace
}  // namespace varco::oidc
