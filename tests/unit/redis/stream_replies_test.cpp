// The entries inside stream replies, from replies shaped as Redis answers them, malformed
// elements included.
#include "redis/stream_replies.hpp"

#include <gtest/gtest.h>

namespace varco::redis {
namespace {

reply bulk(std::string s) { return {reply::kind::string, std::move(s), 0, {}}; }
reply array(std::vector<reply> elements) {
  return {reply::kind::array, {}, 0, std::move(elements)};
}

// [id, [f, v, …]]
reply entry(std::string id, const stream_fields& fields) {
  reply pairs = array({});
  for (const auto& [key, value] : fields) {
    pairs.elements.push_back(bulk(key));
    pairs.elements.push_back(bulk(value));
  }
  return array({bulk(std::move(id)), pairs});
}

TEST(stream_replies, read_group_gives_each_entry_with_its_fields_in_order) {
  const stream_fields fields{{"email", "a@b.it"}, {"subject", "S"}, {"request_id", "req-1"}};
  // [[stream, [[id, [f, v, …]], …]]] as XREADGROUP answers.
  const reply answer = array(
      {array({bulk("varco:support"), array({entry("1700000000000-0", fields),
                                            entry("1700000000000-1", {{"email", "c@d.it"}})})})});
  const auto read = read_group_entries(answer);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].id, "1700000000000-0");
  EXPECT_EQ(read[0].fields, fields);
  EXPECT_EQ(read[0].field("request_id"), "req-1");
  EXPECT_EQ(read[0].field("missing"), "");
  EXPECT_EQ(read[1].id, "1700000000000-1");
  EXPECT_EQ(read[1].field("email"), "c@d.it");
  EXPECT_TRUE(read_group_entries(reply{}).empty());  // nil: nothing new
}

TEST(stream_replies, autoclaim_keeps_an_entry_deleted_while_pending_without_fields) {
  // XAUTOCLAIM: [cursor, entries, deleted]; a deleted entry has a nil field list.
  const reply deleted = array({bulk("1-0"), reply{}});
  const reply answer =
      array({bulk("0-0"), array({entry("2-0", {{"email", "a@b.it"}}), deleted}), array({})});
  const auto taken = autoclaim_entries(answer);
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(taken[0].id, "2-0");
  EXPECT_FALSE(taken[0].fields.empty());
  EXPECT_EQ(taken[1].id, "1-0");
  EXPECT_TRUE(taken[1].fields.empty());
  EXPECT_TRUE(autoclaim_entries(array({bulk("0-0")})).empty());
}

TEST(stream_replies, malformed_elements_are_skipped) {
  reply odd_fields = entry("3-0", {{"email", "a@b.it"}});
  odd_fields.elements[1].elements.push_back(bulk("dangling"));  // a field without its value
  const reply answer = array({
      bulk("not an entry"),
      array({bulk("1-0")}),                                        // no field list
      array({reply{reply::kind::integer, {}, 7, {}}, array({})}),  // id not a string
      odd_fields,
  });
  const auto entries = stream_entries(answer);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].id, "3-0");
  EXPECT_EQ(entries[0].fields, (stream_fields{{"email", "a@b.it"}}));
  EXPECT_TRUE(stream_entries(bulk("x")).empty());
}

}  // namespace
}  // namespace varco::redis
