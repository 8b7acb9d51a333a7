// The rate_limits section: defaults, values, and mistakes reported as file:line: what.
#include "tests/unit/conf/conf_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::conf::testing {
namespace {

using namespace std::chrono_literals;

class rate_limits_config : public conf_fixture {
 protected:
  rate_limits_config() { write_ec_key("jwt.pem"); }
  // The section starts on line 11.
  static std::string config(const std::string& limits) {
    return std::string(minimal_jwt) + minimal_products + limits;
  }
};

TEST_F(rate_limits_config, defaults_are_on) {
  auto loaded = load(config(""));
  ASSERT_TRUE(loaded.value);
  const auto& l = loaded.value->rate_limits;
  EXPECT_EQ(l.login.requests, 60u);
  EXPECT_EQ(l.login.window, 1min);
  EXPECT_EQ(l.login_per_idp.requests, 3000u);
  EXPECT_EQ(l.acs.requests, 60u);
  EXPECT_EQ(l.forms.requests, 120u);
}

TEST_F(rate_limits_config, values_and_a_limit_turned_off) {
  auto loaded =
      load(config("rate_limits:\n"
                  "  login: {requests: 5, window: 10s}\n"
                  "  acs: {requests: 0}\n"));
  ASSERT_TRUE(loaded.value) << loaded.errors.front().to_string();
  const auto& l = loaded.value->rate_limits;
  EXPECT_EQ(l.login.requests, 5u);
  EXPECT_EQ(l.login.window, 10s);
  EXPECT_FALSE(l.acs.enabled());
  EXPECT_EQ(l.forms.requests, 120u);  // untouched
}

TEST_F(rate_limits_config, mistakes_are_reported_with_their_line) {
  const auto errors =
      errors_of(config("rate_limits:\n"
                       "  login: {requests: -1, window: 1m}\n"
                       "  acs: {requests: 5, window: 0s}\n"
                       "  forms: {requests: 5, window: 2d}\n"
                       "  logn: {requests: 5}\n"));
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_NE(errors[0].find(":12:"), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("requests"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find(":13:"), std::string::npos) << errors[1];
  EXPECT_NE(errors[2].find(":14:"), std::string::npos) << errors[2];
  EXPECT_NE(errors[2].find("24h"), std::string::npos) << errors[2];
  EXPECT_NE(errors[3].find(":15:"), std::string::npos) << errors[3];
}

}  // namespace
}  // namespace varco::conf::testing
