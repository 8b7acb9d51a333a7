#include "directory/model.hpp"

#include <gtest/gtest.h>

namespace varco::directory {
namespace {

TEST(party_role, round_trips_every_name) {
  for (auto r : {party_role::manager, party_role::delegate, party_role::sub_delegate,
                 party_role::operator_, party_role::admin_ea}) {
    party_role parsed = party_role::operator_;
    ASSERT_TRUE(parse_party_role(to_string(r), parsed)) << to_string(r);
    EXPECT_EQ(parsed, r);
  }
  EXPECT_EQ(to_string(party_role::sub_delegate), "SUB_DELEGATE");
}

TEST(party_role, parse_is_exact) {
  party_role r = party_role::manager;
  EXPECT_FALSE(parse_party_role("manager", r));
  EXPECT_FALSE(parse_party_role("MANAGER ", r));
  EXPECT_FALSE(parse_party_role("", r));
  EXPECT_EQ(r, party_role::manager);
}

TEST(party_role, labels) {
  EXPECT_EQ(role_label(party_role::manager), "Amministratore");
  EXPECT_EQ(role_label(party_role::delegate), "Amministratore");
  EXPECT_EQ(role_label(party_role::sub_delegate), "Amministratore");
  EXPECT_EQ(role_label(party_role::operator_), "Operatore");
  EXPECT_TRUE(is_administrator(party_role::manager));
  EXPECT_FALSE(is_administrator(party_role::operator_));
}

TEST(work_email, the_partys_own_else_the_persons_else_none) {
  person p{"RSSMRA80A01H501U", "Mario", "Rossi", "", {{"p1", "m.rossi@comune.example.it"}}};
  EXPECT_EQ(work_email(p, "p1"), "m.rossi@comune.example.it");
  EXPECT_EQ(work_email(p, "p2"), "");  // another party never gets p1's
  p.email = "mario.rossi@example.it";
  EXPECT_EQ(work_email(p, "p2"), "mario.rossi@example.it");
  EXPECT_EQ(work_email(p, "p1"), "m.rossi@comune.example.it");
}

TEST(membership_status, parse) {
  membership_status s = membership_status::active;
  ASSERT_TRUE(parse_membership_status("suspended", s));
  EXPECT_EQ(s, membership_status::suspended);
  EXPECT_EQ(to_string(s), "suspended");
  EXPECT_FALSE(parse_membership_status("Active", s));
}

}  // namespace
}  // namespace varco::directory
