#include "gateway/endpoint/rate_limit.hpp"

#include "session/memory_login_state.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

using namespace std::chrono_literals;

TEST(rate_limit, keys_name_scope_subject_and_the_wall_clock_window) {
  const conf::rate_limit per_minute{10, 1min};
  const std::chrono::system_clock::time_point t{std::chrono::minutes(1000)};
  EXPECT_EQ(rate_key("login", "1.2.3.4", per_minute, t), "rl:login:1.2.3.4:1000");
  EXPECT_EQ(rate_key("login", "1.2.3.4", per_minute, t + 59s), "rl:login:1.2.3.4:1000");
  EXPECT_EQ(rate_key("login", "1.2.3.4", per_minute, t + 60s), "rl:login:1.2.3.4:1001");
  EXPECT_EQ(rate_key("login", std::string(2000, 'x'), per_minute, t).size(),
            std::string("rl:login::1000").size() + 512);
}

TEST(rate_limit, counts_up_to_the_limit_then_answers_with_the_time_left) {
  boost::asio::io_context io;
  session::memory_login_state store;
  const conf::rate_limit limit{3, 1h};
  auto check = [&] {
    auto future = boost::asio::co_spawn(io, check_rate_limit(store, "login", "1.2.3.4", limit),
                                        boost::asio::use_future);
    io.restart();
    io.run();
    return future.get();
  };
  for (int i = 0; i < 3; ++i) EXPECT_EQ(check().outcome, rate_check::verdict::allowed) << i;
  const auto refused = check();
  EXPECT_EQ(refused.outcome, rate_check::verdict::limited);
  EXPECT_GE(refused.retry_after, 1s);
  EXPECT_LE(refused.retry_after, 3600s);
  // Off when requests is 0.
  const conf::rate_limit off{0, 1h};
  auto future = boost::asio::co_spawn(io, check_rate_limit(store, "login", "1.2.3.4", off),
                                      boost::asio::use_future);
  io.restart();
  io.run();
  EXPECT_EQ(future.get().outcome, rate_check::verdict::allowed);
}

}  // namespace
}  // namespace varco::gateway
