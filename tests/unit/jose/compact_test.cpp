#include "jose/compact.hpp"

#include "base/base64.hpp"
#include "jose/jwe.hpp"
#include "jose/jws.hpp"

#include <gtest/gtest.h>

#include <string>

namespace varco::jose {
namespace {

std::string b64(std::string_view s) { return base::base64url_encode(s); }

reason jws_refusal(std::string_view token, const limits& lim = {}) {
  auto parts = split_jws(token, lim);
  EXPECT_FALSE(parts) << token;
  return parts ? reason::internal_error : parts.error().code;
}

TEST(jose_base64url, only_the_canonical_unpadded_form_decodes) {
  EXPECT_EQ(decode_base64url("Zm9vYg").value(), "foob");
  EXPECT_EQ(decode_base64url("").value(), "");
  EXPECT_EQ(decode_base64url("_-8").value(), "\xff\xef");
  EXPECT_FALSE(decode_base64url("Zm9vYg=="));  // padding
  EXPECT_FALSE(decode_base64url("Zm9vYh"));    // stray bits in the last character
  EXPECT_FALSE(decode_base64url("Zm9vY"));     // a length no encoding has
  EXPECT_FALSE(decode_base64url("Zm9v+g"));    // base64, not base64url
  EXPECT_FALSE(decode_base64url("Zm9 v"));
  EXPECT_EQ(decode_base64url("Zm9vYh").error().code, reason::bad_encoding);
}

TEST(split_jws, refuses_shapes_other_than_three_parts) {
  const std::string h = b64(R"({"alg":"RS256"})");
  EXPECT_EQ(jws_refusal(h + "." + b64("{}")), reason::token_malformed);
  EXPECT_EQ(jws_refusal(h + "." + b64("{}") + ".c2ln.eA"), reason::token_malformed);
  EXPECT_EQ(jws_refusal("." + b64("{}") + ".c2ln"), reason::token_malformed);
  EXPECT_EQ(jws_refusal(""), reason::token_malformed);
  EXPECT_TRUE(split_jws(h + "." + b64("{}") + ".c2ln", {}));
  EXPECT_TRUE(split_jws(h + "..c2ln", {}));  // an empty payload is allowed (detached content)
}

TEST(split_jws, the_size_limit_is_checked_before_anything_is_decoded) {
  limits lim;
  lim.max_token = 100;
  EXPECT_EQ(jws_refusal(std::string(101, '!'), lim), reason::token_too_large);
  lim = {};
  lim.max_header = 16;
  const std::string big_header = b64(R"({"alg":"RS256","kid":"a-long-key-id"})");
  EXPECT_EQ(jws_refusal(big_header + ".e30.c2ln", lim), reason::token_malformed);
}

TEST(split_jws, the_header_is_one_json_object_with_a_string_alg) {
  EXPECT_EQ(jws_refusal(b64("[1]") + ".e30.c2ln"), reason::header_malformed);
  EXPECT_EQ(jws_refusal(b64("{") + ".e30.c2ln"), reason::header_malformed);
  EXPECT_EQ(jws_refusal(b64(R"({"kid":"a"})") + ".e30.c2ln"), reason::header_malformed);
  EXPECT_EQ(jws_refusal(b64(R"({"alg":5})") + ".e30.c2ln"), reason::header_malformed);
  std::string deep(40, '[');
  EXPECT_EQ(
      jws_refusal(b64(R"({"alg":"RS256","x":)" + deep + std::string(40, ']') + "}") + ".e30.c2ln"),
      reason::header_malformed);
  EXPECT_EQ(jws_refusal(b64(R"({"alg":"RS256","crit":["b64"],"b64":false})") + ".e30.c2ln"),
            reason::crit_unsupported);
  EXPECT_EQ(jws_refusal(b64(R"({"alg":"RS256","zip":"DEF"})") + ".e30.c2ln"),
            reason::zip_forbidden);
}

TEST(verify_jws, algorithms_are_refused_before_any_key_is_looked_at) {
  const jwk_set no_keys;
  auto refusal = [&](std::string_view alg, jws_policy policy = {}) {
    auto v =
        verify_jws(b64(R"({"alg":")" + std::string(alg) + R"("})") + ".e30.c2ln", no_keys, policy);
    return v ? reason::internal_error : v.error().code;
  };
  EXPECT_EQ(refusal("none"), reason::alg_none);
  EXPECT_EQ(refusal("HS256"), reason::alg_hmac);
  EXPECT_EQ(refusal("HS512"), reason::alg_hmac);
  EXPECT_EQ(refusal("None"), reason::alg_forbidden);
  EXPECT_EQ(refusal("RS1"), reason::alg_forbidden);
  EXPECT_EQ(refusal("EdDSA"), reason::alg_forbidden);
  jws_policy only_rs256;
  only_rs256.algorithms = {"RS256"};
  EXPECT_EQ(refusal("PS256", only_rs256), reason::alg_forbidden);
  EXPECT_EQ(refusal("RS256", only_rs256), reason::kid_missing);
}

TEST(verify_jws, an_expected_typ_is_enforced) {
  jws_policy policy;
  policy.expected_typ = "entity-statement+jwt";
  auto v = verify_jws(b64(R"({"alg":"RS256","typ":"JWT","kid":"k"})") + ".e30.c2ln", {}, policy);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, reason::header_malformed);
  v = verify_jws(b64(R"({"alg":"RS256","typ":"Entity-Statement+JWT","kid":"k"})") + ".e30.c2ln", {},
                 policy);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, reason::kid_unknown);  // the type passed
}

TEST(decrypt_jwe, refuses_before_decrypting) {
  auto refusal = [](std::string_view header,
                    std::string_view rest = ".a2V5.aXZpdml2aXZpdml2.Y3Q.dGFn") {
    auto v = decrypt_jwe(b64(header) + std::string(rest), {}, jwe_policy{});
    return v ? reason::internal_error : v.error().code;
  };
  EXPECT_EQ(refusal(R"({"alg":"RSA-OAEP","enc":"A128GCM"})", ".a2V5.aXY.Y3Q"),
            reason::token_malformed);
  EXPECT_EQ(refusal(R"({"alg":"RSA1_5","enc":"A128GCM"})"), reason::alg_forbidden);
  EXPECT_EQ(refusal(R"({"alg":"dir","enc":"A128GCM"})"), reason::alg_forbidden);
  EXPECT_EQ(refusal(R"({"alg":"A128KW","enc":"A128GCM"})"), reason::alg_forbidden);
  EXPECT_EQ(refusal(R"({"alg":"RSA-OAEP","enc":"A192GCM"})"), reason::enc_forbidden);
  EXPECT_EQ(refusal(R"({"alg":"RSA-OAEP"})"), reason::header_malformed);
  EXPECT_EQ(refusal(R"({"alg":"RSA-OAEP","enc":"A128GCM","zip":"DEF"})"), reason::zip_forbidden);
  EXPECT_EQ(refusal(R"({"alg":"RSA-OAEP","enc":"A128GCM","kid":"k"})"), reason::kid_unknown);
  EXPECT_EQ(refusal(R"({"alg":"RSA-OAEP","enc":"A128GCM"})"), reason::decryption_failed);
}

TEST(jose_reason_code, names_each_reason_by_its_enumerator) {
  EXPECT_EQ(reason_code(reason::alg_none), "alg_none");
  EXPECT_EQ(reason_code(reason::internal_error), "internal_error");
  EXPECT_EQ(reason_code(static_cast<reason>(9999)), "unknown");
}

}  // namespace
}  // namespace varco::jose
