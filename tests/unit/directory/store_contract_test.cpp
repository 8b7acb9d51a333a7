// One contract, both writable directory stores: empty until imported, import claims once, writes
// are atomic and bump the version, reads give back exactly what was written.
#include "directory/directory_codec.hpp"
#include "directory/memory_directory.hpp"
#include "directory/redis_directory.hpp"
#include "directory/snapshot.hpp"
#include "tests/unit/session/store_fixtures.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace varco::directory {
namespace {

using session::testing::run;

struct memory_backend {
  boost::asio::io_context io;
  std::shared_ptr<directory_store> store = std::make_shared<memory_directory>();
};

struct redis_backend {
  boost::asio::io_context io;
  conf::redis config = session::testing::redis_config(test::redis_server::shared().port(),
                                                      session::testing::unique_prefix());
  std::shared_ptr<redis::connection> connection =
      std::make_shared<redis::connection>(io.get_executor(), config);
  std::shared_ptr<directory_store> store =
      std::make_shared<redis_directory>(connection, config.key_prefix);
};

directory_data sample() {
  directory_data d;
  d.parties.push_back({"p1",
                       "Comune di Prova",
                       "PA",
                       "80012340123",
                       "c_p001",
                       "",
                       {{"address", "Via Roma 1"}, {"pec", "p@pec.it"}}});
  d.parties.push_back({"p2", "Partner S.r.l.", "PT", "01234567890", "", "/static/p2.png", {}});
  d.people.push_back({"RSSMRA80A01H501U", "Mario", "Rossi", "mario@example.it"});
  d.memberships.push_back({"RSSMRA80A01H501U", "p1", "prod-a", party_role::manager, "admin",
                           membership_status::active});
  d.memberships.push_back({"VRDLGU85B02F205X", "p1", "prod-a", party_role::operator_, "operator",
                           membership_status::suspended});
  d.delegations.push_back({"p1", "p2", "prod-a", "2025-03-14"});
  return d;
}

template <class Backend>
class directory_store_contract : public ::testing::Test {
 protected:
  Backend backend_;
  directory_store& store() { return *backend_.store; }
  boost::asio::io_context& io() { return backend_.io; }
  versioned_directory read() {
    auto r = run(io(), store().read());
    EXPECT_TRUE(r) << r.error().message();
    return r ? std::move(*r) : versioned_directory{};
  }
};

using backends = ::testing::Types<memory_backend, redis_backend>;
TYPED_TEST_SUITE(directory_store_contract, backends);

TYPED_TEST(directory_store_contract, holds_nothing_until_imported_and_refuses_changes) {
  const auto empty = this->read();
  EXPECT_EQ(empty.version, 0u);
  EXPECT_FALSE(empty.data.has_value());
  auto applied =
      run(this->io(),
          this->store().apply({put_person{{"RSSMRA80A01H501U", "M", "R", "m@example.it"}}}));
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error(), session::store_errc::unavailable);
  EXPECT_EQ(this->read().version, 0u);
}

TYPED_TEST(directory_store_contract, import_reads_back_every_record) {
  auto imported = run(this->io(), this->store().replace(sample(), false));
  ASSERT_TRUE(imported && *imported);
  const auto got = this->read();
  ASSERT_TRUE(got.data.has_value());
  EXPECT_GE(got.version, 1u);
  const snapshot s(*got.data, got.version);
  ASSERT_NE(s.find_party("p1"), nullptr);
  EXPECT_EQ(s.find_party("p1")->name, "Comune di Prova");
  // The registry keeps its order through the codec.
  ASSERT_EQ(s.find_party("p1")->registry.size(), 2u);
  EXPECT_EQ(s.find_party("p1")->registry[0].first, "address");
  EXPECT_EQ(s.find_party("p2")->logo, "/static/p2.png");
  ASSERT_NE(s.find_person("RSSMRA80A01H501U"), nullptr);
  EXPECT_EQ(s.find_person("RSSMRA80A01H501U")->email, "mario@example.it");
  const auto* suspended = s.membership_for("VRDLGU85B02F205X", "p1", "prod-a");
  ASSERT_NE(suspended, nullptr);
  EXPECT_EQ(suspended->status, membership_status::suspended);
  EXPECT_EQ(suspended->role, party_role::operator_);
  EXPECT_EQ(s.delegations_to("p2").size(), 1u);
}

TYPED_TEST(directory_store_contract, first_import_is_claimed_once) {
  auto first = run(this->io(), this->store().replace(sample(), true));
  ASSERT_TRUE(first);
  EXPECT_TRUE(*first);
  directory_data other;
  other.parties.push_back({"p9", "Altro", "PA", "80012340999", "", "", {}});
  auto second = run(this->io(), this->store().replace(other, true));
  ASSERT_TRUE(second);
  EXPECT_FALSE(*second) << "a directory is there: the seed must not overwrite it";
  const auto got = this->read();
  ASSERT_TRUE(got.data.has_value());
  const snapshot s(*got.data, got.version);
  EXPECT_NE(s.find_party("p1"), nullptr);
  EXPECT_EQ(s.find_party("p9"), nullptr);
  // An explicit import (not only_if_empty) replaces everything.
  ASSERT_TRUE(run(this->io(), this->store().replace(other, false)));
  const auto replaced = this->read();
  const snapshot r(*replaced.data, replaced.version);
  EXPECT_EQ(r.find_party("p1"), nullptr);
  EXPECT_NE(r.find_party("p9"), nullptr);
  EXPECT_GT(replaced.version, got.version);
}

TYPED_TEST(directory_store_contract, changes_apply_together_and_bump_the_version) {
  ASSERT_TRUE(run(this->io(), this->store().replace(sample(), false)));
  const auto before = this->read().version;
  membership giulia{"NREGLI90D45L219R",    "p1",       "prod-a",
                    party_role::operator_, "operator", membership_status::active};
  auto version =
      run(this->io(),
          this->store().apply(
              {put_person{{"NREGLI90D45L219R", "Giulia", "Neri", "giulia@example.it"}},
               put_membership{giulia}, remove_membership{"VRDLGU85B02F205X", "p1", "prod-a"},
               put_join_request{{"p1", "prod-b", "RSSMRA80A01H501U", "2026-11-28T10:00:00Z"}}}));
  ASSERT_TRUE(version) << version.error().message();
  EXPECT_GT(*version, before);
  const auto got = this->read();
  EXPECT_EQ(got.version, *version);
  const snapshot s(*got.data, got.version);
  EXPECT_NE(s.membership_for("NREGLI90D45L219R", "p1", "prod-a"), nullptr);
  EXPECT_EQ(s.membership_for("VRDLGU85B02F205X", "p1", "prod-a"), nullptr);
  EXPECT_EQ(s.find_person("NREGLI90D45L219R")->family_name, "Neri");
  ASSERT_NE(s.join_request_for("p1", "prod-b"), nullptr);
  EXPECT_EQ(s.join_request_for("p1", "prod-b")->requested_by, "RSSMRA80A01H501U");

  // A put of the same (user, party, product) replaces the record: suspend.
  giulia.status = membership_status::suspended;
  ASSERT_TRUE(run(this->io(), this->store().apply({put_membership{giulia}})));
  const auto after = this->read();
  const snapshot t(*after.data, after.version);
  EXPECT_EQ(t.membership_for("NREGLI90D45L219R", "p1", "prod-a")->status,
            membership_status::suspended);
  EXPECT_EQ(t.memberships().size(), 2u);
}

TEST(directory_codec, a_person_keeps_each_partys_work_email) {
  const person mario{"RSSMRA80A01H501U",
                     "Mario",
                     "Rossi",
                     "mario.rossi@example.it",
                     {{"p1", "m.rossi@comune.example.it"}, {"p2", "mario@partner.example.it"}}};
  const auto decoded = decode_person(encode(mario));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->email, "mario.rossi@example.it");
  EXPECT_EQ(decoded->work_emails, mario.work_emails);
  // Written before work e-mails existed: none.
  const auto older = decode_person(
      R"({"fiscal_number":"RSSMRA80A01H501U","name":"Mario","family_name":"Rossi","email":"m@x.it"})");
  ASSERT_TRUE(older);
  EXPECT_TRUE(older->work_emails.empty());
  EXPECT_FALSE(decode_person(R"({"fiscal_number":"A","work_emails":{"p1":7}})"));
  EXPECT_FALSE(decode_person(R"({"fiscal_number":"A","work_emails":["a@b.it"]})"));
}

TEST(directory_codec, refuses_records_of_the_wrong_shape) {
  EXPECT_FALSE(decode_membership("not json"));
  EXPECT_FALSE(decode_membership(R"({"user":"A","party":"p","product":"x"})"));
  EXPECT_FALSE(decode_membership(
      R"({"user":"A","party":"p","product":"x","party_role":"BOSS","product_role":"admin","status":"active"})"));
  EXPECT_FALSE(decode_membership(
      R"({"user":"A","party":"p","product":"x","party_role":"MANAGER","product_role":"admin","status":"gone"})"));
  EXPECT_FALSE(decode_party(R"({"id":"p","name":"n","type":"PA"})"));
  EXPECT_FALSE(decode_person(R"({"fiscal_number":7})"));
  EXPECT_FALSE(decode_join_request(R"([1,2])"));
  // Unknown fields are ignored (a newer writer during a rolling upgrade).
  auto m = decode_membership(
      R"({"user":"A","party":"p","product":"x","party_role":"OPERATOR","product_role":"op","status":"active","since":"2026"})");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->role, party_role::operator_);
}

TEST(redis_directory, undecodable_records_are_left_out_and_counted) {
  boost::asio::io_context io;
  auto config = session::testing::redis_config(test::redis_server::shared().port(),
                                               session::testing::unique_prefix());
  auto connection = std::make_shared<redis::connection>(io.get_executor(), config);
  redis_directory store(connection, config.key_prefix);
  ASSERT_TRUE(run(io, store.replace(sample(), false)));
  auto corrupt = run(io, connection->command({"HSET", config.key_prefix + "{dir}:memberships",
                                              "X|p1|prod-a", "{broken"}));
  ASSERT_TRUE(corrupt);
  auto got = run(io, store.read());
  ASSERT_TRUE(got && got->data);
  EXPECT_EQ(got->data->memberships.size(), 2u);
  EXPECT_EQ(got->unreadable_records, 1u);
}

}  // namespace
}  // namespace varco::directory
