// Utenti and Aderisci rules: who sees the page, what an administrator may change, and the exact
// directory changes each accepted action produces.
#include "gateway/pages/users_model.hpp"

#include "tests/unit/gateway/area_fixture.hpp"

#include <gtest/gtest.h>

#include <variant>

namespace varco::gateway {
namespace {

using namespace area_testing;
using directory::membership_status;
using directory::party_role;

constexpr const char* luigi = "VRDLGU85B02F205X";
constexpr const char* giulia = "NREGLI90D45L219R";

conf::config writable_config() {
  auto config = area_config();
  config.directory.backend = conf::directory_backend::redis;
  return config;
}

// Mario administers prod-pagopa at the comune; Luigi operates there; Anna is a second admin.
std::shared_ptr<const directory::snapshot> directory_with_team() {
  return area_directory(
      {member(luigi, comune, "prod-pagopa", party_role::operator_),
       member("BNCNNA75C41F205Z", comune, "prod-pagopa", party_role::sub_delegate)});
}

area_errc why(const boost::system::error_code& ec) { return static_cast<area_errc>(ec.value()); }

// The team's directory with these person records.
std::shared_ptr<const directory::snapshot> team_with_people(std::vector<directory::person> people) {
  directory::directory_data data = directory_with_team()->data();
  data.people = std::move(people);
  return std::make_shared<const directory::snapshot>(std::move(data), 1);
}

new_member_form giulia_form() {
  return {giulia, "Giulia", "Neri", "giulia@example.it", "prod-pagopa", "operator"};
}

TEST(users_access, operators_and_strangers_are_refused) {
  const auto dir = directory_with_team();
  EXPECT_TRUE(check_users_access(area_session(), *dir));
  auto op = area_session(comune);
  op.attributes["fiscalNumber"] = luigi;
  EXPECT_EQ(why(check_users_access(op, *dir).error()), area_errc::not_administrator);
  // Mario is only an operator at the partner.
  EXPECT_EQ(why(check_users_access(area_session(partner), *dir).error()),
            area_errc::not_administrator);
  EXPECT_EQ(why(check_users_access(area_session(""), *dir).error()), area_errc::no_party_selected);
  EXPECT_EQ(why(check_users_access(area_session("p-elsewhere"), *dir).error()),
            area_errc::not_a_party_member);
}

TEST(users_view, lists_the_party_members_with_what_the_viewer_may_change) {
  const auto dir = directory_with_team();
  const auto view = build_users_view(area_session(), *dir, writable_config());
  EXPECT_TRUE(view.writable);
  ASSERT_EQ(view.rows.size(), 3u);
  ASSERT_EQ(view.manageable_products.size(), 1u);
  EXPECT_EQ(view.manageable_products[0].id, "prod-pagopa");
  for (const auto& row : view.rows) {
    EXPECT_EQ(row.product_title, "Piattaforma pagoPA");
    // Never one's own row.
    EXPECT_EQ(row.manageable, row.fiscal_number != admin_cf) << row.fiscal_number;
  }
  const auto read_only = build_users_view(area_session(), *dir, area_config());
  EXPECT_FALSE(read_only.writable);
  for (const auto& row : read_only.rows) EXPECT_FALSE(row.manageable);
}

TEST(add_member, valid_form_adds_person_and_operator_membership) {
  const auto dir = directory_with_team();
  auto form = giulia_form();
  form.fiscal_number = " tinit-nregli90d45l219r ";
  field_errors problems;
  auto changes = check_add_member(area_session(), *dir, writable_config(), form, problems);
  ASSERT_TRUE(changes) << changes.error().message();
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(changes->size(), 2u);
  const auto& person = std::get<directory::put_person>((*changes)[0]).value;
  EXPECT_EQ(person.fiscal_number, giulia);
  EXPECT_EQ(person.family_name, "Neri");
  // The typed e-mail is her work e-mail at this party, not an e-mail for every party.
  EXPECT_EQ(person.email, "");
  EXPECT_EQ(person.work_emails,
            (std::map<std::string, std::string, std::less<>>{{comune, "giulia@example.it"}}));
  const auto& m = std::get<directory::put_membership>((*changes)[1]).value;
  EXPECT_EQ(m.user_fiscal_number, giulia);
  EXPECT_EQ(m.party_id, comune);
  EXPECT_EQ(m.product_id, "prod-pagopa");
  EXPECT_EQ(m.role, party_role::operator_);
  EXPECT_EQ(m.status, membership_status::active);
}

TEST(users_view, shows_each_users_work_email_at_this_party_only) {
  const auto dir = team_with_people({
      {admin_cf,
       "Mario",
       "Rossi",
       "mario.rossi@example.it",
       {{comune, "m.rossi@comune.example.it"}}},
      {luigi, "Luigi", "Verdi", "", {{partner, "luigi@partner.example.it"}}},
  });
  const auto view = build_users_view(area_session(), *dir, writable_config());
  for (const auto& row : view.rows) {
    if (row.fiscal_number == admin_cf) {
      EXPECT_EQ(row.email, "m.rossi@comune.example.it");
    } else {
      // Luigi's work e-mail is the partner's: the comune's page shows none.
      EXPECT_EQ(row.email, "") << row.fiscal_number;
    }
  }
}

TEST(add_member, a_known_person_keeps_the_name_and_gets_this_partys_work_email) {
  const auto dir = team_with_people({
      {giulia, "Giulia", "Neri", "", {{partner, "g.neri@partner.example.it"}}},
  });
  auto form = giulia_form();
  form.name = "Giuly";
  field_errors problems;
  auto changes = check_add_member(area_session(), *dir, writable_config(), form, problems);
  ASSERT_TRUE(changes) << changes.error().message();
  ASSERT_EQ(changes->size(), 2u);
  const auto& person = std::get<directory::put_person>((*changes)[0]).value;
  EXPECT_EQ(person.name, "Giulia");
  EXPECT_EQ(person.work_emails,
            (std::map<std::string, std::string, std::less<>>{
                {comune, "giulia@example.it"}, {partner, "g.neri@partner.example.it"}}));
}

TEST(add_member, an_unchanged_work_email_writes_no_person) {
  const auto dir = team_with_people({{giulia, "Giulia", "Neri", "giulia@example.it", {}}});
  auto form = giulia_form();
  field_errors problems;
  auto changes = check_add_member(area_session(), *dir, writable_config(), form, problems);
  ASSERT_TRUE(changes);
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_TRUE(std::holds_alternative<directory::put_membership>(changes->front()));
}

TEST(add_member, admin_role_is_a_sub_delegate) {
  const auto dir = directory_with_team();
  auto form = giulia_form();
  form.role = "admin";
  field_errors problems;
  auto changes = check_add_member(area_session(), *dir, writable_config(), form, problems);
  ASSERT_TRUE(changes);
  EXPECT_EQ(std::get<directory::put_membership>(changes->back()).value.role,
            party_role::sub_delegate);
}

TEST(add_member, bad_fields_are_reported_one_by_one) {
  const auto dir = directory_with_team();
  new_member_form form{"ABC", "", "Neri<script>", "not-an-email", "prod-pagopa", "boss"};
  field_errors problems;
  auto changes = check_add_member(area_session(), *dir, writable_config(), form, problems);
  ASSERT_FALSE(changes);
  EXPECT_EQ(why(changes.error()), area_errc::bad_form);
  for (const char* field : {"fiscal_number", "name", "family_name", "email", "role"})
    EXPECT_EQ(problems.count(field), 1u) << field;
  EXPECT_EQ(problems.count("product"), 0u);
}

TEST(add_member, an_existing_membership_is_a_field_error) {
  const auto dir = directory_with_team();
  auto form = giulia_form();
  form.fiscal_number = luigi;
  field_errors problems;
  auto changes = check_add_member(area_session(), *dir, writable_config(), form, problems);
  ASSERT_FALSE(changes);
  EXPECT_EQ(problems.count("fiscal_number"), 1u);
}

TEST(add_member, refused_for_operators_read_only_directories_and_foreign_products) {
  const auto dir = directory_with_team();
  field_errors problems;
  auto form = giulia_form();
  auto read_only = check_add_member(area_session(), *dir, area_config(), form, problems);
  EXPECT_EQ(why(read_only.error()), area_errc::directory_read_only);

  auto op = area_session(comune);
  op.attributes["fiscalNumber"] = luigi;
  form = giulia_form();
  EXPECT_EQ(why(check_add_member(op, *dir, writable_config(), form, problems).error()),
            area_errc::not_administrator);

  // Mario administers pagoPA at the comune, not IO: a forged product is refused outright.
  form = giulia_form();
  form.product = "prod-io";
  EXPECT_EQ(why(check_add_member(area_session(), *dir, writable_config(), form, problems).error()),
            area_errc::not_administrator);
}

TEST(member_action, suspend_reactivate_remove) {
  const auto dir = directory_with_team();
  const auto config = writable_config();
  auto suspend = check_member_action(area_session(), *dir, config, luigi, "prod-pagopa",
                                     member_action::suspend);
  ASSERT_TRUE(suspend);
  EXPECT_EQ(std::get<directory::put_membership>(suspend->front()).value.status,
            membership_status::suspended);
  auto remove = check_member_action(area_session(), *dir, config, luigi, "prod-pagopa",
                                    member_action::remove);
  ASSERT_TRUE(remove);
  const auto& removed = std::get<directory::remove_membership>(remove->front());
  EXPECT_EQ(removed.user_fiscal_number, luigi);
  EXPECT_EQ(removed.party_id, comune);
}

TEST(member_action, refusals) {
  const auto dir = directory_with_team();
  const auto config = writable_config();
  const auto s = area_session();
  EXPECT_EQ(
      why(check_member_action(s, *dir, config, admin_cf, "prod-pagopa", member_action::suspend)
              .error()),
      area_errc::own_membership);
  EXPECT_EQ(why(check_member_action(s, *dir, config, giulia, "prod-pagopa", member_action::remove)
                    .error()),
            area_errc::unknown_member);
  EXPECT_EQ(
      why(check_member_action(s, *dir, config, luigi, "prod-nope", member_action::remove).error()),
      area_errc::unknown_product);
  EXPECT_EQ(
      why(check_member_action(s, *dir, area_config(), luigi, "prod-pagopa", member_action::remove)
              .error()),
      area_errc::directory_read_only);
  auto op = area_session(comune);
  op.attributes["fiscalNumber"] = luigi;
  EXPECT_EQ(
      why(check_member_action(op, *dir, config, admin_cf, "prod-pagopa", member_action::suspend)
              .error()),
      area_errc::not_administrator);
}

TEST(member_action, parse) {
  member_action a{};
  EXPECT_TRUE(parse_member_action("reactivate", a));
  EXPECT_EQ(a, member_action::reactivate);
  EXPECT_FALSE(parse_member_action("delete", a));
  EXPECT_FALSE(parse_member_action("", a));
}

TEST(join_request, recorded_once_for_a_product_the_party_lacks) {
  const auto dir = directory_with_team();
  const auto config = writable_config();
  auto join = check_join_request(area_session(), *dir, config, "prod-pn", "2026-11-28T10:00:00Z");
  ASSERT_TRUE(join);
  const auto& request = std::get<directory::put_join_request>(join->front()).value;
  EXPECT_EQ(request.party_id, comune);
  EXPECT_EQ(request.product_id, "prod-pn");
  EXPECT_EQ(request.requested_by, admin_cf);
  EXPECT_EQ(request.requested_at, "2026-11-28T10:00:00Z");

  EXPECT_EQ(why(check_join_request(area_session(), *dir, config, "prod-pagopa", "t").error()),
            area_errc::already_joined);
  EXPECT_EQ(why(check_join_request(area_session(), *dir, config, "prod-x", "t").error()),
            area_errc::unknown_product);

  // Once asked, the Panoramica shows "Richiesta inviata" and no second request is taken.
  auto data = dir->data();
  data.join_requests.push_back(request);
  const directory::snapshot asked(std::move(data), 2);
  EXPECT_EQ(why(check_join_request(area_session(), asked, config, "prod-pn", "t").error()),
            area_errc::already_joined);
  const auto view = build_area_view(area_session(), asked, config);
  const auto card = std::find_if(view.available.begin(), view.available.end(),
                                 [](const product_card& c) { return c.id == "prod-pn"; });
  ASSERT_NE(card, view.available.end());
  EXPECT_TRUE(card->join_requested);
  EXPECT_FALSE(card->can_join);
}

}  // namespace
}  // namespace varco::gateway
