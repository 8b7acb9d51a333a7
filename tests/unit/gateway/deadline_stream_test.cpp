// deadline_stream on real loopback sockets: operations past their deadline end with
// beast::error::timeout, others are untouched. Each test runs the io_context to completion; the
// only waiting is for the sweep, so nothing depends on sleeping.
#include "gateway/deadline_stream.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include <array>
#include <chrono>

namespace varco::gateway {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

struct connected_pair {
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  tcp::socket peer{io};
  deadline_stream stream{io.get_executor()};

  connected_pair() {
    stream.socket().connect(acceptor.local_endpoint());
    acceptor.accept(peer);
  }
};

TEST(deadline_stream, a_read_past_its_deadline_times_out) {
  connected_pair pair;
  boost::system::error_code result;
  const auto started = clock::now();
  clock::duration took{};
  asio::co_spawn(
      pair.io,
      [&]() -> awaitable<void> {
        std::array<char, 16> buffer{};
        pair.stream.expires_after(100ms);
        auto [ec, n] = co_await pair.stream.async_read_some(asio::buffer(buffer), use_nothrow);
        result = ec;
        took = clock::now() - started;
      },
      asio::detached);
  pair.io.run();
  EXPECT_EQ(result, beast::error::timeout);
  EXPECT_GE(took, 100ms);  // never early; late by at most the sweep (not asserted: a busy CI)
  EXPECT_FALSE(pair.stream.socket().is_open());
}

TEST(deadline_stream, operations_that_complete_in_time_are_untouched) {
  connected_pair pair;
  std::string got;
  boost::system::error_code second_ec;
  asio::co_spawn(
      pair.io,
      [&]() -> awaitable<void> {
        std::array<char, 5> buffer{};
        pair.stream.expires_after(10s);
        asio::write(pair.peer, asio::buffer(std::string_view("hello")));
        auto [ec, n] = co_await asio::async_read(pair.stream, asio::buffer(buffer), use_nothrow);
        EXPECT_FALSE(ec);
        got.assign(buffer.data(), n);
        // A short deadline that passes while nothing is pending does not end the stream: the
        // next operation, with no deadline, waits for the peer as long as it takes.
        pair.stream.expires_after(1ms);
        asio::steady_timer pause(pair.io);
        pause.expires_after(80ms);
        co_await pause.async_wait(use_nothrow);
        pair.stream.expires_never();
        asio::write(pair.peer, asio::buffer(std::string_view("again")));
        std::tie(second_ec, n) =
            co_await asio::async_read(pair.stream, asio::buffer(buffer), use_nothrow);
      },
      asio::detached);
  pair.io.run();
  EXPECT_EQ(got, "hello");
  EXPECT_FALSE(second_ec);
  EXPECT_TRUE(pair.stream.socket().is_open());
}

TEST(deadline_stream, writes_time_out_when_the_peer_stops_reading) {
  connected_pair pair;
  boost::system::error_code result;
  asio::co_spawn(
      pair.io,
      [&]() -> awaitable<void> {
        // Far more than the socket buffers hold: the write can only finish if the peer reads.
        std::string big(64 * 1024 * 1024, 'x');
        pair.stream.expires_after(200ms);
        auto [ec, n] = co_await asio::async_write(pair.stream, asio::buffer(big), use_nothrow);
        result = ec;
      },
      asio::detached);
  pair.io.run();
  EXPECT_EQ(result, beast::error::timeout);
}

TEST(deadline_stream, connect_refused_is_not_a_timeout) {
  asio::io_context io;
  tcp::endpoint closed;
  {
    tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    closed = probe.local_endpoint();
  }  // nothing listens there any more
  deadline_stream stream(io.get_executor());
  boost::system::error_code result;
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        stream.expires_after(5s);
        const std::array<tcp::endpoint, 1> endpoints{closed};
        auto [ec, endpoint] = co_await stream.async_connect(endpoints, use_nothrow);
        result = ec;
      },
      asio::detached);
  io.run();
  EXPECT_EQ(result, asio::error::connection_refused);
}

TEST(deadline_stream, many_streams_each_keep_their_own_deadline) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  constexpr int count = 8;
  std::vector<std::unique_ptr<deadline_stream>> streams;
  std::vector<tcp::socket> peers;
  for (int i = 0; i < count; ++i) {
    streams.push_back(std::make_unique<deadline_stream>(io.get_executor()));
    streams.back()->socket().connect(acceptor.local_endpoint());
    peers.push_back(acceptor.accept());
  }
  std::vector<boost::system::error_code> results(count);
  for (int i = 0; i < count; ++i) {
    asio::co_spawn(
        io,
        [&, i]() -> awaitable<void> {
          std::array<char, 1> buffer{};
          // Even streams time out quickly; odd ones get their byte long before theirs.
          streams[i]->expires_after(i % 2 == 0 ? 50ms : 30s);
          auto [ec, n] = co_await streams[i]->async_read_some(asio::buffer(buffer), use_nothrow);
          results[i] = ec;
          if (i % 2 == 0) asio::write(peers[i + 1], asio::buffer(std::string_view("x")));
        },
        asio::detached);
  }
  io.run();
  for (int i = 0; i < count; ++i) {
    if (i % 2 == 0)
      EXPECT_EQ(results[i], beast::error::timeout) << i;
    else
      EXPECT_FALSE(results[i]) << i;
  }
}

}  // namespace
}  // namespace varco::gateway
