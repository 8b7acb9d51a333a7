// jwt.previous_public_keys: each item a file name (kid: the key's thumbprint) or {file, kid}, the
// kid the tokens signed with that key carry; every kid of the JWKS names one key.
#include "tests/unit/conf/conf_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::conf::testing {
namespace {

class jwt_previous_keys : public conf_fixture {
 protected:
  jwt_previous_keys() {
    write_ec_key("keys/a.pem", "P-256", "keys/a.pub.pem");
    write_ec_key("keys/b.pem", "P-256", "keys/b.pub.pem");
    write_ec_key("keys/c.pem", "P-256", "keys/c.pub.pem");
    write_ec_key("keys/p384.pem", "P-384", "keys/p384.pub.pem");
  }

  // jwt (current kid "k2") with `previous` as the previous_public_keys lines (from line 5).
  static std::string config_with(const std::string& previous) {
    return std::string(
               "jwt:\n"
               "  key_file: jwt.pem\n"
               "  kid: k2\n"
               "  previous_public_keys:\n") +
           previous + minimal_products;
  }
};

TEST_F(jwt_previous_keys, both_forms_load_in_order) {
  auto outcome =
      load(config_with("    - keys/a.pub.pem\n"
                       "    - { file: keys/b.pub.pem, kid: key-2025 }\n"
                       "    - file: keys/c.pub.pem\n"
                       "      kid: key-2024\n"));
  for (const auto& e : outcome.errors) ADD_FAILURE() << e.to_string();
  ASSERT_TRUE(outcome.value);
  const std::vector<previous_jwt_key> expected{
      {path("keys/a.pub.pem").string(), ""},  // the first form: the thumbprint, decided later
      {path("keys/b.pub.pem").string(), "key-2025"},
      {path("keys/c.pub.pem").string(), "key-2024"},
  };
  EXPECT_EQ(outcome.value->jwt.previous_public_keys, expected);
}

TEST_F(jwt_previous_keys, a_kid_of_the_current_key_is_refused) {
  EXPECT_EQ(errors_of(config_with("    - { file: keys/a.pub.pem, kid: k2 }\n")),
            std::vector<std::string>{
                "varco.yaml:5: jwt.previous_public_keys[0].kid: \"k2\" is already the kid of "
                "jwt.kid: a verifier picking keys by kid could not tell them apart"});
}

TEST_F(jwt_previous_keys, two_previous_keys_with_one_kid_are_refused) {
  EXPECT_EQ(errors_of(config_with("    - { file: keys/a.pub.pem, kid: old }\n"
                                  "    - keys/b.pub.pem\n"
                                  "    - file: keys/b.pub.pem\n"
                                  "      kid: old\n")),
            std::vector<std::string>{
                "varco.yaml:8: jwt.previous_public_keys[2].kid: \"old\" is already the kid of "
                "jwt.previous_public_keys[0].kid: a verifier picking keys by kid could not tell "
                "them apart"});
}

TEST_F(jwt_previous_keys, a_mapping_needs_file_and_kid) {
  EXPECT_EQ(errors_of(config_with("    - { file: keys/a.pub.pem }\n")),
            std::vector<std::string>{"varco.yaml:5: jwt.previous_public_keys[0].kid: is required"});
  EXPECT_EQ(
      errors_of(config_with("    - { kid: old }\n")),
      std::vector<std::string>{"varco.yaml:5: jwt.previous_public_keys[0].file: is required"});
  EXPECT_EQ(
      errors_of(config_with("    - { file: keys/a.pub.pem, kid: '' }\n")),
      std::vector<std::string>{"varco.yaml:5: jwt.previous_public_keys[0].kid: must not be empty"});
}

TEST_F(jwt_previous_keys, a_mapping_is_checked_like_the_file_form) {
  EXPECT_EQ(errors_of(config_with("    - { file: keys/p384.pub.pem, kid: old }\n")),
            std::vector<std::string>{"varco.yaml:5: jwt.previous_public_keys[0].file: "
                                     "\"keys/p384.pub.pem\" is not a PEM EC P-256 public key"});
  EXPECT_EQ(
      errors_of(config_with("    - { file: keys/a.pub.pem, key_id: old }\n")),
      (std::vector<std::string>{"varco.yaml:5: jwt.previous_public_keys[0].key_id: unknown key",
                                "varco.yaml:5: jwt.previous_public_keys[0].kid: is required"}));
  EXPECT_EQ(errors_of(config_with("    - [keys/a.pub.pem, old]\n")),
            std::vector<std::string>{
                "varco.yaml:5: jwt.previous_public_keys[0]: expected a file name or a mapping "
                "{file, kid}"});
}

}  // namespace
}  // namespace varco::conf::testing
