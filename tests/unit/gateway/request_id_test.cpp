#include "gateway/http/request_id.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

namespace varco::gateway {
namespace {

TEST(request_id, format_and_uniqueness_within_a_thread) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    auto id = new_request_id();
    ASSERT_EQ(id.size(), 24u);
    ASSERT_TRUE(is_acceptable_request_id(id)) << id;
    ASSERT_TRUE(seen.insert(std::move(id)).second);
  }
}

TEST(request_id, unique_across_threads) {
  std::mutex m;
  std::set<std::string> seen;
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      mine.reserve(2000);
      for (int i = 0; i < 2000; ++i) mine.push_back(new_request_id());
      std::lock_guard lock(m);
      seen.insert(mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(seen.size(), 8000u);
}

TEST(request_id, acceptable_incoming_ids) {
  EXPECT_TRUE(is_acceptable_request_id("f47ac10b-58cc-4372-a567-0e02b2c3d479"));
  EXPECT_TRUE(is_acceptable_request_id("Root=1-67891233-abcdef012345678912345678:x_y.z"));
  EXPECT_TRUE(is_acceptable_request_id(std::string(128, 'a')));
  EXPECT_FALSE(is_acceptable_request_id(std::string(129, 'a')));
  EXPECT_FALSE(is_acceptable_request_id(""));
  EXPECT_FALSE(is_acceptable_request_id("a b"));
  EXPECT_FALSE(is_acceptable_request_id("a\r\nX-Injected: 1"));
  EXPECT_FALSE(is_acceptable_request_id("\"quoted\""));
  EXPECT_FALSE(is_acceptable_request_id("<script>"));
}

}  // namespace
}  // namespace varco::gateway
