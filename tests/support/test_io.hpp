// Runs coroutines and waits for conditions on an io_context driven by the test's own thread.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <stdexcept>

namespace varco::test {

using namespace std::chrono_literals;

// Runs `a` to completion (or throws after `limit`), handling other work meanwhile.
template <class T>
T run(boost::asio::io_context& io, boost::asio::awaitable<T> a,
      std::chrono::milliseconds limit = 10s) {
  auto future = boost::asio::co_spawn(io, std::move(a), boost::asio::use_future);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (future.wait_for(0s) != std::future_status::ready) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("coroutine timed out");
    if (io.stopped()) io.restart();
    io.run_one_for(10ms);
  }
  return future.get();
}

// Runs the io_context until `done()` holds; false if `limit` passes first.
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    if (io.stopped()) io.restart();
    io.run_one_for(5ms);
  }
  return true;
}

// Polls an asynchronous condition (a coroutine returning bool) until it holds or `limit` passes.
inline bool poll_until(boost::asio::io_context& io,
                       const std::function<boost::asio::awaitable<bool>()>& check,
                       std::chrono::milliseconds limit = 5s,
                       std::chrono::milliseconds interval = 10ms) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!run(io, check())) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    const auto next = std::chrono::steady_clock::now() + interval;
    run_until(
        io, [&] { return std::chrono::steady_clock::now() >= next; }, interval * 2);
  }
  return true;
}

}  // namespace varco::test
