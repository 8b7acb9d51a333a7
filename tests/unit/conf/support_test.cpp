// The support section: defaults, the webhook URL and retry policy, streams and limits, and every
// mistake reported as file:line: what.
#include "tests/unit/conf/conf_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::conf::testing {
namespace {

class support_config : public conf_fixture {
 protected:
  support_config() { write_ec_key("jwt.pem"); }
  // The section starts on line 11.
  static std::string config(const std::string& support) {
    return std::string(minimal_jwt) + minimal_products + support;
  }
  std::string first_error(const std::string& support) const {
    const auto errors = errors_of(config(support));
    return errors.empty() ? std::string("(no error)") : errors.front();
  }
};

TEST_F(support_config, absent_section_leaves_support_off) {
  auto loaded = load(config(""));
  ASSERT_TRUE(loaded.value);
  EXPECT_FALSE(loaded.value->support.enabled);
  EXPECT_TRUE(loaded.value->support.email.empty());
}

TEST_F(support_config, defaults_and_a_full_section) {
  auto minimal = load(config("support: {email: assistenza@ente.it}\n"));
  ASSERT_TRUE(minimal.value) << minimal.errors.front().to_string();
  const auto& s = minimal.value->support;
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.email, "assistenza@ente.it");
  EXPECT_FALSE(s.webhook);
  EXPECT_EQ(s.stream, "varco:support");
  EXPECT_EQ(s.dead_letter_stream, "varco:support:dead");
  EXPECT_EQ(s.max_subject_chars, 200u);
  EXPECT_EQ(s.max_message_chars, 5000u);

  auto full = load(config(R"(support:
  email: help@ente.it
  stream: s:in
  dead_letter_stream: s:dead
  consumer_group: g
  claim_idle: 90s
  max_subject_chars: 100
  max_message_chars: 2000
  webhook:
    url: https://tickets.ente.it/api/varco
    timeout: 3s
    max_attempts: 7
    backoff_initial: 200ms
    backoff_max: 10s
)"));
  ASSERT_TRUE(full.value) << full.errors.front().to_string();
  const auto& f = full.value->support;
  ASSERT_TRUE(f.webhook);
  EXPECT_TRUE(f.webhook->url.https);
  EXPECT_EQ(f.webhook->url.host, "tickets.ente.it");
  EXPECT_EQ(f.webhook->url.port, 443);
  EXPECT_EQ(f.webhook->url.base_path, "/api/varco");
  EXPECT_EQ(f.webhook->timeout, 3s);
  EXPECT_EQ(f.webhook->max_attempts, 7u);
  EXPECT_EQ(f.webhook->backoff_initial, 200ms);
  EXPECT_EQ(f.webhook->backoff_max, 10s);
  EXPECT_EQ(f.stream, "s:in");
  EXPECT_EQ(f.dead_letter_stream, "s:dead");
  EXPECT_EQ(f.consumer_group, "g");
  EXPECT_EQ(f.claim_idle, 90s);
  EXPECT_EQ(f.max_subject_chars, 100u);
  EXPECT_EQ(f.max_message_chars, 2000u);
}

TEST_F(support_config, mistakes_name_the_line_and_the_setting) {
  EXPECT_EQ(first_error("support: {stream: x}\n"), "varco.yaml:11: support.email: is required");
  EXPECT_EQ(first_error("support:\n  email: \"a@b.it?cc=x@y.it\"\n"),
            "varco.yaml:12: support.email: \"a@b.it?cc=x@y.it\" is not a plain e-mail address");
  EXPECT_EQ(first_error("support:\n  email: a@b.it\n  webhook: {timeout: 1s}\n"),
            "varco.yaml:13: support.webhook.url: is required");
  EXPECT_EQ(first_error("support:\n  email: a@b.it\n  webhook:\n    url: ftp://x.it\n"),
            "varco.yaml:14: support.webhook.url: \"ftp://x.it\" is not an http:// or https:// URL "
            "(no query or fragment)");
  EXPECT_EQ(first_error("support:\n  email: a@b.it\n  webhook:\n    url: http://127.0.0.1:9/\n"
                        "    max_attempts: 0\n"),
            "varco.yaml:15: support.webhook.max_attempts: 0 is out of range 1..100");
  EXPECT_EQ(first_error("support:\n  email: a@b.it\n  webhook:\n    url: http://127.0.0.1:9\n"
                        "    backoff_initial: 1m\n    backoff_max: 10s\n"),
            "varco.yaml:15: support.webhook.backoff_initial: 1m is longer than backoff_max (10s)");
  EXPECT_EQ(first_error("support:\n  email: a@b.it\n  stream: same\n  dead_letter_stream: same\n"),
            "varco.yaml:14: support.dead_letter_stream: must differ from stream");
  EXPECT_EQ(first_error("support:\n  email: a@b.it\n  stream: \"a b\"\n"),
            "varco.yaml:13: support.stream: must be 1 to 200 characters without spaces");
  EXPECT_EQ(first_error("support:\n  email: a@b.it\n  claim_idle: 5s\n  webhook:\n"
                        "    url: http://127.0.0.1:9\n    timeout: 10s\n"),
            "varco.yaml:13: support.claim_idle: 5s must be longer than webhook.timeout (10s)");
  EXPECT_EQ(first_error("support:\n  email: a@b.it\n  emial: x\n").find("varco.yaml:13:"), 0u);
}

}  // namespace
}  // namespace varco::conf::testing
