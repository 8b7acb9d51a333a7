#include "directory/snapshot.hpp"

#include <gtest/gtest.h>

namespace varco::directory {
namespace {

membership member(std::string user, std::string party, std::string product, party_role role,
                  membership_status status = membership_status::active) {
  membership m;
  m.user_fiscal_number = std::move(user);
  m.party_id = std::move(party);
  m.product_id = std::move(product);
  m.role = role;
  m.product_role = is_administrator(role) ? "admin" : "operator";
  m.status = status;
  return m;
}

snapshot sample() {
  std::vector<party> parties{
      {.id = "p-b", .name = "Comune B", .type = "PA"},
      {.id = "p-a", .name = "Comune A", .type = "PA"},
      {.id = "pt", .name = "Partner", .type = "PT"},
  };
  std::vector<membership> members{
      member("USER1", "p-b", "prod-x", party_role::operator_),
      member("USER1", "p-b", "prod-y", party_role::delegate),
      member("USER1", "p-a", "prod-x", party_role::operator_),
      member("USER1", "pt", "prod-x", party_role::manager, membership_status::suspended),
      member("USER2", "p-a", "prod-x", party_role::manager),
  };
  std::vector<delegation> delegations{
      {.from_party = "p-a", .to_party = "pt", .product_id = "prod-x"},
      {.from_party = "p-b", .to_party = "pt", .product_id = "prod-x"},
  };
  return snapshot(std::move(parties), std::move(members), std::move(delegations), 7);
}

TEST(snapshot, finds_parties) {
  const auto s = sample();
  ASSERT_NE(s.find_party("p-a"), nullptr);
  EXPECT_EQ(s.find_party("p-a")->name, "Comune A");
  EXPECT_EQ(s.find_party("p-"), nullptr);
  EXPECT_EQ(s.generation(), 7u);
}

TEST(snapshot, memberships_of_a_user) {
  const auto s = sample();
  EXPECT_EQ(s.memberships_of("USER1").size(), 4u);
  EXPECT_EQ(s.memberships_of("USER2").size(), 1u);
  EXPECT_TRUE(s.memberships_of("USER3").empty());
}

TEST(snapshot, membership_for_exact_triple) {
  const auto s = sample();
  const auto* m = s.membership_for("USER1", "p-b", "prod-y");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->role, party_role::delegate);
  EXPECT_EQ(s.membership_for("USER1", "p-b", "prod-z"), nullptr);
  EXPECT_EQ(s.membership_for("USER2", "p-b", "prod-x"), nullptr);
  const auto* suspended = s.membership_for("USER1", "pt", "prod-x");
  ASSERT_NE(suspended, nullptr);
  EXPECT_EQ(suspended->status, membership_status::suspended);
}

TEST(snapshot, parties_of_keeps_strongest_active_role) {
  const auto s = sample();
  const auto parties = s.parties_of("USER1");
  ASSERT_EQ(parties.size(), 2u);  // the suspended PT membership offers no party
  EXPECT_EQ(parties[0].party->id, "p-a");
  EXPECT_EQ(parties[0].role, party_role::operator_);
  EXPECT_EQ(parties[1].party->id, "p-b");
  EXPECT_EQ(parties[1].role, party_role::delegate);  // administrator over operator
}

TEST(snapshot, members_of_a_party) {
  const auto s = sample();
  const auto members = s.members_of("p-a");
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0]->user_fiscal_number, "USER1");
  EXPECT_EQ(members[1]->user_fiscal_number, "USER2");
  EXPECT_TRUE(s.members_of("nobody").empty());
}

TEST(snapshot, delegations_both_ways) {
  const auto s = sample();
  EXPECT_EQ(s.delegations_to("pt").size(), 2u);
  EXPECT_TRUE(s.delegations_to("p-a").empty());
  const auto from_a = s.delegations_from("p-a");
  ASSERT_EQ(from_a.size(), 1u);
  EXPECT_EQ(from_a[0]->to_party, "pt");
}

TEST(snapshot, survives_a_move) {
  auto s = sample();
  snapshot moved = std::move(s);
  ASSERT_NE(moved.find_party("pt"), nullptr);
  EXPECT_EQ(moved.find_party("pt")->type, "PT");
  EXPECT_NE(moved.membership_for("USER2", "p-a", "prod-x"), nullptr);
}

}  // namespace
}  // namespace varco::directory
