#include "session/session_codec.hpp"
#include "tests/unit/session/store_fixtures.hpp"

#include <gtest/gtest.h>

#include <random>

namespace varco::session::testing {
namespace {

TEST(session_codec, round_trip_keeps_every_field) {
  const session s = sample_session("the-key");
  const std::string doc = encode_session(s);
  EXPECT_NE(doc.find("\"v\":1"), std::string::npos);
  EXPECT_EQ(doc.find("the-key"), std::string::npos);  // the key is the store's, not the document's
  auto back = decode_session(doc, "the-key");
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, s);
}

TEST(session_codec, an_openid_connect_session_keeps_its_logout_data) {
  session s = sample_session("k");
  s.oidc = {{"provider", "spid-op"}, {"id_token", "eyJ.a.b"}, {"access_token", "at"}};
  const std::string doc = encode_session(s);
  auto back = decode_session(doc, "k");
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->oidc, s.oidc);
  // A SAML session is written without the member, as before it existed, and reads back empty.
  const std::string saml_doc = encode_session(sample_session("k"));
  EXPECT_EQ(saml_doc.find("\"oidc\""), std::string::npos);
  auto saml_back = decode_session(saml_doc, "k");
  ASSERT_TRUE(saml_back);
  EXPECT_TRUE(saml_back->oidc.empty());
  // A member of the wrong shape makes the document corrupt, as for the other maps.
  std::string bad = saml_doc;
  bad.insert(bad.size() - 1, R"(,"oidc":{"id_token":1})");
  EXPECT_FALSE(decode_session(bad, "k"));
}

TEST(session_codec, corrupt_or_foreign_input_is_an_error_value) {
  const char* inputs[] = {
      "",
      "{",
      "[]",
      "null",
      "42",
      R"({"v":2,"level":1,"created_at":1})",
      R"({"level":1,"created_at":1})",
      R"({"v":1,"level":1})",
      R"({"v":1,"level":1,"created_at":"yesterday"})",
      R"({"v":1,"level":9,"created_at":1})",
      R"({"v":1,"level":1,"created_at":-5})",
      R"({"v":1,"level":1,"created_at":1,"attributes":{"name":7}})",
      R"({"v":1,"level":1,"created_at":1,"attributes":[]})",
      R"({"v":1,"level":1,"created_at":1,"provider":false})",
      R"({"v":1,"level":1,"created_at":1,"environments":{"p":null}})",
      R"({"v":1,"level":1,"created_at":1e400})",
  };
  for (const char* in : inputs) {
    auto r = decode_session(in);
    ASSERT_FALSE(r) << in;
    EXPECT_EQ(r.error(), store_errc::corrupt) << in;
  }
}

TEST(session_codec, random_bytes_never_throw) {
  std::mt19937 rng(12345);
  const std::string good = encode_session(sample_session("k"));
  for (int i = 0; i < 2000; ++i) {
    std::string doc = good;
    // Flip a few bytes of a valid document, or truncate it.
    for (int j = 0; j < 3; ++j) doc[rng() % doc.size()] = static_cast<char>(rng());
    if (i % 3 == 0) doc.resize(rng() % doc.size());
    EXPECT_NO_THROW((void)decode_session(doc));
  }
}

}  // namespace
}  // namespace varco::session::testing
