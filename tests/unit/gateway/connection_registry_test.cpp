#include "gateway/connection_registry.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace varco::gateway {
namespace {

// A registry of named connections whose close() records the name, as a socket close would.
struct registry_fixture {
  connection_registry registry;
  std::vector<std::string> closed;

  connection_registry::handle add(const std::string& name) {
    return registry.add([this, name] { closed.push_back(name); });
  }
};

TEST(connection_registry, reclaims_the_connection_idle_the_longest_first) {
  registry_fixture f;
  auto a = f.add("a");
  auto b = f.add("b");
  auto c = f.add("c");
  // All three served a request; they became idle again in the order b, c, a.
  for (auto h : {a, b, c}) f.registry.mark_busy(h);
  f.registry.mark_idle(b);
  f.registry.mark_idle(c);
  f.registry.mark_idle(a);

  ASSERT_TRUE(f.registry.reclaim_oldest_idle());
  ASSERT_TRUE(f.registry.reclaim_oldest_idle());
  EXPECT_EQ(f.closed, (std::vector<std::string>{"b", "c"}));
}

TEST(connection_registry, never_reclaims_a_connection_inside_a_request) {
  registry_fixture f;
  auto a = f.add("a");
  auto b = f.add("b");
  f.registry.mark_busy(a);
  f.registry.mark_busy(b);
  EXPECT_FALSE(f.registry.reclaim_oldest_idle());
  EXPECT_TRUE(f.closed.empty());

  // b finishes its response and waits for the next request: it is the one to go.
  f.registry.mark_idle(b);
  EXPECT_TRUE(f.registry.reclaim_oldest_idle());
  EXPECT_EQ(f.closed, (std::vector<std::string>{"b"}));
}

TEST(connection_registry, a_reclaimed_connection_is_not_closed_twice_before_it_unwinds) {
  registry_fixture f;
  auto a = f.add("a");
  f.add("b");
  ASSERT_TRUE(f.registry.reclaim_oldest_idle());
  ASSERT_TRUE(f.registry.reclaim_oldest_idle());
  // Both are closing; until their coroutines remove them there is nothing else to reclaim.
  EXPECT_FALSE(f.registry.reclaim_oldest_idle());
  EXPECT_EQ(f.closed, (std::vector<std::string>{"a", "b"}));
  f.registry.remove(a);
  EXPECT_EQ(f.registry.size(), 1u);
}

TEST(connection_registry, a_new_connection_waiting_for_its_first_request_counts_as_idle) {
  registry_fixture f;
  auto old_one = f.add("old");
  f.registry.mark_busy(old_one);
  f.add("new");
  EXPECT_TRUE(f.registry.reclaim_oldest_idle());
  EXPECT_EQ(f.closed, (std::vector<std::string>{"new"}));
}

TEST(connection_registry, drain_closes_only_idle_connections) {
  registry_fixture f;
  auto a = f.add("a");
  f.add("b");
  f.registry.mark_busy(a);
  f.registry.begin_drain();
  EXPECT_TRUE(f.registry.draining());
  EXPECT_EQ(f.closed, (std::vector<std::string>{"b"}));
}

}  // namespace
}  // namespace varco::gateway
