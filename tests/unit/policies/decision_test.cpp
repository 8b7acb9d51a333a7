#include "policies/decision.hpp"

#include <gtest/gtest.h>

#include <string>

namespace varco::policies {
namespace {

using directory::membership_status;
using directory::party_role;

constexpr const char* comune = "party-comune";
constexpr const char* altro = "party-altro";

directory::membership member(std::string user, std::string party, party_role role,
                             std::string product_role,
                             membership_status status = membership_status::active,
                             std::string product = "prod-pagopa") {
  directory::membership m;
  m.user_fiscal_number = std::move(user);
  m.party_id = std::move(party);
  m.product_id = std::move(product);
  m.role = role;
  m.product_role = std::move(product_role);
  m.status = status;
  return m;
}

const directory::snapshot& sample_directory() {
  static const directory::snapshot d(
      {{.id = comune, .name = "Comune", .type = "PA"},
       {.id = altro, .name = "Altro", .type = "PA"}},
      {
          member("MANAGER0000000AA", comune, party_role::manager, "admin"),
          member("DELEGATE000000AA", comune, party_role::delegate, "admin"),
          member("SUBDELEG000000AA", comune, party_role::sub_delegate, "admin"),
          member("OPERATOR000000AA", comune, party_role::operator_, "operator"),
          member("SUSPENDE000000AA", comune, party_role::manager, "admin",
                 membership_status::suspended),
          member("ADMINEA0000000AA", comune, party_role::admin_ea, "admin"),
          member("OTHERPRD000000AA", comune, party_role::manager, "admin",
                 membership_status::active, "prod-other"),
          // "admin" product role held by an operator: path rules look at the product role.
          member("OPADMIN0000000AA", comune, party_role::operator_, "admin"),
      },
      {}, 1);
  return d;
}

conf::product sample_product() {
  conf::product p;
  p.id = "prod-pagopa";
  p.required_party_roles = {"MANAGER", "DELEGATE", "SUB_DELEGATE", "OPERATOR"};
  p.path_rules = {{"/admin", {"admin"}}, {"/admin/reports", {"admin", "operator"}}};
  conf::environment collaudo;
  collaudo.id = "collaudo";
  conf::environment produzione;
  produzione.id = "produzione";
  produzione.party_roles = {"MANAGER", "DELEGATE", "SUB_DELEGATE"};
  p.environments = {collaudo, produzione};
  return p;
}

struct access_case {
  const char* name;
  std::string user;
  std::string party;  // selected in the session
  std::string environment;
  std::string path;
  verdict expected;
  std::string_view reason;
};

class decide_access_table : public ::testing::TestWithParam<access_case> {};

TEST_P(decide_access_table, gives_the_expected_verdict_and_reason) {
  const auto& c = GetParam();
  const auto product = sample_product();
  session::session s;
  if (!c.user.empty()) s.attributes["fiscalNumber"] = c.user;
  s.selected_party = c.party;
  const auto* env = product.find_environment(c.environment);
  ASSERT_NE(env, nullptr);
  const auto d = decide_access(product, *env, s, sample_directory(), c.path);
  EXPECT_EQ(d.outcome, c.expected);
  EXPECT_EQ(d.reason, c.reason);
  if (d.outcome == verdict::allow) {
    ASSERT_NE(d.membership, nullptr);
    EXPECT_EQ(d.membership->user_fiscal_number, c.user);
    EXPECT_EQ(d.membership->party_id, c.party);
  }
}

constexpr auto allow = verdict::allow;
constexpr auto deny = verdict::deny;

INSTANTIATE_TEST_SUITE_P(
    table, decide_access_table,
    ::testing::Values(
        access_case{"manager", "MANAGER0000000AA", comune, "collaudo", "/", allow, reason::allowed},
        access_case{"delegate", "DELEGATE000000AA", comune, "produzione", "/x", allow,
                    reason::allowed},
        access_case{"sub_delegate", "SUBDELEG000000AA", comune, "produzione", "/admin", allow,
                    reason::allowed},
        access_case{"operator", "OPERATOR000000AA", comune, "collaudo", "/payments", allow,
                    reason::allowed},
        access_case{"manager_admin_path", "MANAGER0000000AA", comune, "collaudo", "/admin/users",
                    allow, reason::allowed},
        access_case{"no_party_selected", "MANAGER0000000AA", "", "collaudo", "/", deny,
                    reason::no_party_selected},
        access_case{"wrong_party", "MANAGER0000000AA", altro, "collaudo", "/", deny,
                    reason::not_a_member},
        access_case{"unknown_party", "MANAGER0000000AA", "party-ghost", "collaudo", "/", deny,
                    reason::not_a_member},
        access_case{"unknown_user", "NOBODY00000000AA", comune, "collaudo", "/", deny,
                    reason::not_a_member},
        access_case{"no_fiscal_number", "", comune, "collaudo", "/", deny, reason::not_a_member},
        access_case{"member_of_another_product_only", "OTHERPRD000000AA", comune, "collaudo", "/",
                    deny, reason::not_a_member},
        access_case{"suspended", "SUSPENDE000000AA", comune, "collaudo", "/", deny,
                    reason::membership_suspended},
        access_case{"role_not_required_by_product", "ADMINEA0000000AA", comune, "collaudo", "/",
                    deny, reason::role_not_allowed},
        access_case{"operator_on_production", "OPERATOR000000AA", comune, "produzione", "/", deny,
                    reason::environment_not_allowed},
        access_case{"operator_on_admin_path", "OPERATOR000000AA", comune, "collaudo", "/admin",
                    deny, reason::product_role_required},
        access_case{"operator_below_admin_path", "OPERATOR000000AA", comune, "collaudo",
                    "/admin/users", deny, reason::product_role_required},
        access_case{"operator_longest_prefix_wins", "OPERATOR000000AA", comune, "collaudo",
                    "/admin/reports/2025", allow, reason::allowed},
        access_case{"operator_segment_boundary", "OPERATOR000000AA", comune, "collaudo",
                    "/administrator", allow, reason::allowed},
        access_case{"operator_with_admin_product_role", "OPADMIN0000000AA", comune, "collaudo",
                    "/admin", allow, reason::allowed}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(decide_access, empty_required_roles_deny_everyone) {
  auto product = sample_product();
  product.required_party_roles.clear();
  session::session s;
  s.attributes["fiscalNumber"] = "MANAGER0000000AA";
  s.selected_party = comune;
  const auto d = decide_access(product, product.environments[0], s, sample_directory(), "/");
  EXPECT_EQ(d.outcome, verdict::deny);
  EXPECT_EQ(d.reason, reason::role_not_allowed);
}

TEST(rules, path_rule_not_applicable_without_a_match) {
  const auto product = sample_product();
  const auto* m = sample_directory().membership_for("OPERATOR000000AA", comune, "prod-pagopa");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(rule_path(product, *m, "/payments").outcome, verdict::not_applicable);
  EXPECT_EQ(rule_party_selected(session::session{.selected_party = comune}).outcome,
            verdict::not_applicable);
}

struct prefix_case {
  const char* prefix;
  const char* path;
  bool matches;
};

TEST(path_rules, segment_boundaries) {
  const prefix_case cases[] = {
      {"/admin", "/admin", true},   {"/admin", "/admin/", true},
      {"/admin", "/admin/x", true}, {"/admin", "/administrator", false},
      {"/admin", "/adm", false},    {"/admin", "/", false},
      {"/admin/", "/admin", true},  {"/admin/", "/admin/x", true},
      {"/", "/anything", true},     {"", "/anything", true},
      {"/a/b", "/a/b/c", true},     {"/a/b", "/a/bc", false},
      {"/admin", "/ADMIN", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(prefix_matches(c.prefix, c.path), c.matches) << c.prefix << " vs " << c.path;
  }
}

TEST(path_rules, longest_prefix_wins) {
  const std::vector<conf::path_rule> rules{{"/", {"any"}}, {"/a", {"a"}}, {"/a/b", {"ab"}}};
  EXPECT_EQ(match_path_rule(rules, "/a/b/c")->prefix, "/a/b");
  EXPECT_EQ(match_path_rule(rules, "/a/bc")->prefix, "/a");
  EXPECT_EQ(match_path_rule(rules, "/z")->prefix, "/");
  EXPECT_EQ(match_path_rule({}, "/z"), nullptr);
}

TEST(describe, every_reason_in_both_languages) {
  for (auto r : {reason::no_party_selected, reason::not_a_member, reason::membership_suspended,
                 reason::role_not_allowed, reason::environment_not_allowed,
                 reason::product_role_required, reason::default_deny}) {
    const auto it = describe(r, "it");
    const auto en = describe(r, "en");
    EXPECT_FALSE(it.empty()) << r;
    EXPECT_FALSE(en.empty()) << r;
    EXPECT_NE(it, en) << r;
  }
  EXPECT_EQ(describe(reason::membership_suspended, "en"),
            "Your account for this product is suspended. To reactivate it, contact an "
            "Administrator of the organisation.");
  EXPECT_EQ(describe("something_else", "fr"), describe(reason::default_deny, "it"));
}

}  // namespace
}  // namespace varco::policies
