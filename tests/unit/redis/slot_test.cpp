// Redis Cluster key slots, against the values of the Redis Cluster specification and of
// `CLUSTER KEYSLOT` on a real server (redis 7.0).
#include "redis/slot.hpp"

#include <gtest/gtest.h>

namespace varco::redis {
namespace {

TEST(redis_slot, crc16_of_the_specification) {
  // The specification's check value: CRC16("123456789") = 0x31C3 → 12739.
  EXPECT_EQ(key_slot("123456789"), 0x31C3 % 16384);
  EXPECT_EQ(key_slot("foo"), 12182);  // CLUSTER KEYSLOT foo
  EXPECT_EQ(key_slot(""), 0);
}

TEST(redis_slot, hash_tags) {
  EXPECT_EQ(key_slot("{user1000}.following"), key_slot("{user1000}.followers"));
  EXPECT_EQ(key_slot("varco:{dir}:people"), key_slot("varco:{dir}:version"));
  EXPECT_EQ(key_slot("varco:{dir}:people"), key_slot("dir"));
  // An empty tag is no tag: the whole key is hashed; only the first { counts.
  EXPECT_EQ(key_slot("foo{}{bar}"), key_slot(std::string_view("foo{}{bar}")));
  EXPECT_NE(key_slot("foo{}{bar}"), key_slot("bar"));
  EXPECT_EQ(key_slot("foo{{bar}}zap"), key_slot("{bar"));
  EXPECT_EQ(key_slot("foo{bar}{zap}"), key_slot("bar"));
}

TEST(redis_slot, key_positions) {
  using args = std::vector<std::string>;
  EXPECT_EQ(key_position(args{"GET", "k"}), 1u);
  EXPECT_EQ(key_position(args{"set", "k", "v"}), 1u);
  EXPECT_EQ(key_position(args{"EVAL", "return 1", "1", "k", "a"}), 3u);
  EXPECT_EQ(key_position(args{"EVAL", "return 1", "0"}), 0u);
  EXPECT_EQ(key_position(args{"PUBLISH", "channel", "m"}), 0u);
  EXPECT_EQ(key_position(args{"MULTI"}), 0u);
  EXPECT_EQ(key_position(args{"exec"}), 0u);
  EXPECT_EQ(key_position(args{"CLUSTER", "SLOTS"}), 0u);
  EXPECT_EQ(key_position(args{}), 0u);
}

}  // namespace
}  // namespace varco::redis
