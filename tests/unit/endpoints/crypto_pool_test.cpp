// The crypto pool on its own: jobs run on its threads and their callers resume on their own
// executor; with every thread busy, the queue takes queue_limit jobs and refuses the next at once;
// stop() refuses new jobs and still runs and answers the ones it accepted. Synchronised with
// promises and the io_context running out of work, never with sleeps.
#include "gateway/endpoint/crypto_pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <future>
#include <optional>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace varco::gateway {
namespace {

// A job that tells when it started and then waits to be released: it holds a pool thread.
struct blocker {
  std::promise<void> started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();

  auto job() {
    return [this] {
      started.set_value();
      released.wait();
      return -1;
    };
  }
};

// Starts `job` through the pool on `io`; the outcome lands in `out` once io runs it.
template <typename Job>
void submit(asio::io_context& io, crypto_pool& pool, std::size_t limit,
            std::optional<std::optional<int>>& out, Job job) {
  asio::co_spawn(
      io,
      [&pool, &out, job = std::move(job), limit]() -> awaitable<void> {
        out = co_await pool.run(job, limit);
      },
      asio::detached);
  io.poll();  // runs the coroutine up to its submission (or to its refusal)
  io.restart();
}

TEST(crypto_pool, runs_the_job_on_a_pool_thread_and_resumes_the_caller_on_its_executor) {
  asio::io_context io;
  crypto_pool pool(2);
  std::thread::id job_thread;
  std::thread::id resumed_thread;
  bool resumed_in_io = false;
  std::optional<int> value;
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        auto job = [&job_thread] {
          job_thread = std::this_thread::get_id();
          return 42;
        };
        value = (co_await pool.run(job, 4)).value_or(0);
        resumed_thread = std::this_thread::get_id();
        resumed_in_io = io.get_executor().running_in_this_thread();
      },
      asio::detached);
  io.run();  // returns only once the coroutine ended: the job keeps io's work count up
  EXPECT_EQ(value, 42);
  EXPECT_NE(job_thread, std::this_thread::get_id());
  EXPECT_NE(job_thread, std::thread::id{});
  EXPECT_EQ(resumed_thread, std::this_thread::get_id());
  EXPECT_TRUE(resumed_in_io);
  EXPECT_EQ(pool.completed(), 1u);
}

// Jobs run nicer than the thread that made the pool (crypto_thread_nice more, at most max_nice),
// so a busy machine serves the workers first.
TEST(crypto_pool, jobs_run_at_a_lower_priority_than_the_caller) {
  const auto nice_of_this_thread = [] {
    errno = 0;
    const int nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)));
    EXPECT_EQ(errno, 0);
    return nice;
  };
  const int caller_nice = nice_of_this_thread();
  asio::io_context io;
  crypto_pool pool(1);
  std::vector<int> job_nice;
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        auto job = [&] {
          job_nice.push_back(nice_of_this_thread());
          return 0;
        };
        for (int i = 0; i < 2; ++i) co_await pool.run(job, 4);  // the second finds it lowered
      },
      asio::detached);
  io.run();
  const int expected =
      std::min(crypto_pool::max_nice, caller_nice + crypto_pool::crypto_thread_nice);
  EXPECT_EQ(job_nice, (std::vector<int>{expected, expected}));
  if (caller_nice < crypto_pool::max_nice) {
    EXPECT_GT(expected, caller_nice);
  }
  EXPECT_EQ(nice_of_this_thread(), caller_nice);  // the caller's own thread is left alone
}

TEST(crypto_pool, with_its_thread_busy_the_queue_takes_its_limit_and_refuses_the_next) {
  constexpr std::size_t limit = 3;
  asio::io_context io;
  crypto_pool pool(1);
  blocker busy;
  std::optional<std::optional<int>> first;
  submit(io, pool, limit, first, busy.job());
  busy.started.get_future().wait();  // the only thread is held: what follows waits in the queue

  std::vector<std::optional<std::optional<int>>> queued(limit);
  for (std::size_t i = 0; i < limit; ++i) {
    auto job = [i] { return static_cast<int>(i); };
    submit(io, pool, limit, queued[i], job);
  }
  EXPECT_EQ(pool.waiting(), limit);
  for (const auto& outcome : queued) EXPECT_FALSE(outcome.has_value()) << "answered too early";

  std::optional<std::optional<int>> refused;
  submit(io, pool, limit, refused, [] { return 99; });
  ASSERT_TRUE(refused.has_value()) << "a refusal is answered at once, without the pool";
  EXPECT_FALSE(refused->has_value());
  EXPECT_EQ(pool.refused(), 1u);

  busy.release.set_value();
  io.run();
  ASSERT_TRUE(first && *first);
  EXPECT_EQ(**first, -1);
  for (std::size_t i = 0; i < limit; ++i) {
    ASSERT_TRUE(queued[i] && *queued[i]) << i;
    EXPECT_EQ(**queued[i], static_cast<int>(i));
  }
  EXPECT_EQ(pool.waiting(), 0u);
  EXPECT_EQ(pool.completed(), limit + 1);
  EXPECT_EQ(pool.refused(), 1u);
}

TEST(crypto_pool, an_unbounded_job_is_queued_past_the_limit) {
  asio::io_context io;
  crypto_pool pool(1);
  blocker busy;
  std::optional<std::optional<int>> first;
  std::optional<std::optional<int>> second;
  std::optional<std::optional<int>> third;
  submit(io, pool, 1, first, busy.job());
  busy.started.get_future().wait();
  submit(io, pool, 1, second, [] { return 1; });
  submit(io, pool, crypto_pool::unbounded, third, [] { return 2; });
  busy.release.set_value();
  io.run();
  ASSERT_TRUE(second && *second);
  ASSERT_TRUE(third && *third);
  EXPECT_EQ(**third, 2);
  EXPECT_EQ(pool.refused(), 0u);
}

TEST(crypto_pool, a_job_that_throws_rethrows_in_its_caller) {
  asio::io_context io;
  crypto_pool pool(1);
  std::string caught;
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        try {
          co_await pool.run([]() -> int { throw std::runtime_error("no key"); }, 1);
        } catch (const std::runtime_error& e) {
          caught = e.what();
        }
      },
      asio::detached);
  io.run();
  EXPECT_EQ(caught, "no key");
}

TEST(crypto_pool, stop_refuses_new_jobs_and_answers_every_accepted_one) {
  asio::io_context io;
  crypto_pool pool(1);
  blocker busy;
  std::optional<std::optional<int>> first;
  std::optional<std::optional<int>> queued;
  submit(io, pool, 2, first, busy.job());
  busy.started.get_future().wait();
  submit(io, pool, 2, queued, [] { return 7; });

  // stop() blocks until the accepted jobs ran: from another thread, while the first still holds.
  std::thread stopper([&pool] { pool.stop(); });
  while (!pool.stopping()) std::this_thread::yield();
  std::optional<std::optional<int>> late;
  submit(io, pool, 2, late, [] { return 8; });
  ASSERT_TRUE(late.has_value());
  EXPECT_FALSE(late->has_value()) << "a job submitted while stopping is refused";

  busy.release.set_value();
  stopper.join();
  EXPECT_EQ(pool.completed(), 2u);
  io.run();  // the completions the pool posted before it joined
  ASSERT_TRUE(first && *first);
  ASSERT_TRUE(queued && *queued);
  EXPECT_EQ(**queued, 7);
  pool.stop();  // again: nothing left, returns
}

}  // namespace
}  // namespace varco::gateway
