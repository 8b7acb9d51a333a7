// The typed stream commands against a real redis-server: what each returns, and each failure as
// a value (no group, a refused command, no server).
#include "redis/streams.hpp"

#include "redis/errors.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/redis_test_config.hpp"
#include "tests/support/test_io.hpp"

#include <gtest/gtest.h>

namespace varco::redis {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using test::redis_config;
using test::run;
using test::unique_prefix;

struct streams : ::testing::Test {
  boost::asio::io_context io;
  conf::redis config = redis_config(test::redis_server::shared().port(), unique_prefix());
  connection redis{io.get_executor(), config};
  std::string stream = config.key_prefix + "stream";
  std::string group = "forwarders";
  stream_consumer first{stream, group, "first"};
  stream_consumer second{stream, group, "second"};

  long long length() {
    auto len = run(io, redis.command({"XLEN", stream}));
    return len ? len->integer : -1;
  }
};

TEST_F(streams, a_group_created_later_reads_what_was_appended_before_it) {
  const stream_fields fields{{"email", "a@b.it"}, {"message", "riga\n\0binaria"s}, {"empty", ""}};
  auto id = run(io, stream_append(redis, stream, fields));
  ASSERT_TRUE(id) << id.error().text();
  EXPECT_NE(id->find('-'), std::string::npos) << *id;

  ASSERT_TRUE(run(io, create_group(redis, stream, group)));
  ASSERT_TRUE(run(io, create_group(redis, stream, group)));  // it exists already: still success

  auto read = run(io, read_group(redis, first, 10, 10ms));
  ASSERT_TRUE(read) << read.error().text();
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].id, *id);
  EXPECT_EQ((*read)[0].fields, fields);

  // Delivered once: the next read has nothing new, and the entry is pending for `first`.
  auto again = run(io, read_group(redis, first, 10, 10ms));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
  auto owner = run(io, pending_owner(redis, stream, group, *id));
  ASSERT_TRUE(owner);
  EXPECT_EQ(*owner, "first");
}

TEST_F(streams, read_group_honours_the_count) {
  ASSERT_TRUE(run(io, create_group(redis, stream, group)));
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(run(io, stream_append(redis, stream, {{"n", std::to_string(i)}})));
  auto read = run(io, read_group(redis, first, 2, 10ms));
  ASSERT_TRUE(read);
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0].field("n"), "0");
  EXPECT_EQ((*read)[1].field("n"), "1");
  auto rest = run(io, read_group(redis, second, 2, 10ms));
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].field("n"), "2");
}

TEST_F(streams, an_idle_entry_is_taken_over_and_claimed_back) {
  ASSERT_TRUE(run(io, create_group(redis, stream, group)));
  auto id = run(io, stream_append(redis, stream, {{"email", "a@b.it"}}));
  ASSERT_TRUE(id);
  ASSERT_TRUE(run(io, read_group(redis, first, 10, 10ms)));

  // Not idle for an hour: nothing to take over.
  auto none = run(io, claim_idle(redis, second, 1h, 10));
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());

  auto taken = run(io, claim_idle(redis, second, 0ms, 10));
  ASSERT_TRUE(taken) << taken.error().text();
  ASSERT_EQ(taken->size(), 1u);
  EXPECT_EQ((*taken)[0].id, *id);
  EXPECT_EQ((*taken)[0].field("email"), "a@b.it");
  EXPECT_EQ(run(io, pending_owner(redis, stream, group, *id)).value(), "second");

  auto back = run(io, claim(redis, first, *id));
  ASSERT_TRUE(back);
  EXPECT_TRUE(*back);
  EXPECT_EQ(run(io, pending_owner(redis, stream, group, *id)).value(), "first");
}

TEST_F(streams, acknowledged_entries_leave_the_pending_list_and_the_stream) {
  ASSERT_TRUE(run(io, create_group(redis, stream, group)));
  auto id = run(io, stream_append(redis, stream, {{"email", "a@b.it"}}));
  ASSERT_TRUE(id);
  auto kept = run(io, stream_append(redis, stream, {{"email", "c@d.it"}}));
  ASSERT_TRUE(kept);
  ASSERT_TRUE(run(io, read_group(redis, first, 1, 10ms)));
  ASSERT_EQ(length(), 2);

  ASSERT_TRUE(run(io, acknowledge_and_delete(redis, stream, group, *id)));
  EXPECT_EQ(length(), 1);
  EXPECT_EQ(run(io, pending_owner(redis, stream, group, *id)).value(), "");
  // No longer pending: it cannot be claimed; nor can one never delivered.
  EXPECT_FALSE(run(io, claim(redis, first, *id)).value());
  EXPECT_FALSE(run(io, claim(redis, first, *kept)).value());
}

TEST_F(streams, failures_are_values) {
  // No group on the stream (or no stream at all).
  auto read = run(io, read_group(redis, first, 10, 10ms));
  ASSERT_FALSE(read);
  EXPECT_TRUE(read.error().no_group()) << read.error().text();
  EXPECT_TRUE(read.error().refused());
  EXPECT_EQ(read.error().code, store_errc::protocol);

  // A key of another type: Redis refuses, and says why.
  ASSERT_TRUE(run(io, redis.command({"SET", stream, "a string"})));
  auto created = run(io, create_group(redis, stream, group));
  ASSERT_FALSE(created);
  EXPECT_TRUE(created.error().refused());
  EXPECT_FALSE(created.error().no_group());
  EXPECT_EQ(created.error().text(), created.error().reply);
  auto appended = run(io, stream_append(redis, stream, {{"email", "a@b.it"}}));
  ASSERT_FALSE(appended);
  EXPECT_TRUE(appended.error().reply.starts_with("WRONGTYPE")) << appended.error().reply;
}

TEST(streams_without_server, every_call_fails_with_the_connection_error) {
  test::redis_server server;
  boost::asio::io_context io;
  const auto config = redis_config(server.port(), unique_prefix());
  connection redis(io.get_executor(), config);
  ASSERT_TRUE(run(io, redis.command({"PING"})));
  server.kill();

  const std::string stream = config.key_prefix + "stream";
  const stream_consumer reader{stream, "g", "c"};
  const auto no_answer = [](const stream_error& e) {
    return !e.refused() && (e.code == store_errc::unavailable || e.code == store_errc::timeout);
  };
  auto appended = run(io, stream_append(redis, stream, {{"k", "v"}}));
  ASSERT_FALSE(appended);
  EXPECT_TRUE(no_answer(appended.error())) << appended.error().text();
  EXPECT_EQ(appended.error().text(), appended.error().code.message());
  auto created = run(io, create_group(redis, stream, "g"));
  ASSERT_FALSE(created);
  EXPECT_TRUE(no_answer(created.error()));
  auto read = run(io, read_group(redis, reader, 1, 10ms));
  ASSERT_FALSE(read);
  EXPECT_TRUE(no_answer(read.error()));
  EXPECT_FALSE(read.error().no_group());
  auto owner = run(io, pending_owner(redis, stream, "g", "1-0"));
  ASSERT_FALSE(owner);
  EXPECT_TRUE(no_answer(owner.error()));
  auto acknowledged = run(io, acknowledge_and_delete(redis, stream, "g", "1-0"));
  ASSERT_FALSE(acknowledged);
  EXPECT_TRUE(no_answer(acknowledged.error()));
}

}  // namespace
}  // namespace varco::redis
