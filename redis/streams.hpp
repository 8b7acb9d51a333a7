// Redis streams read through a consumer group, as typed calls on a connection: append an entry,
// create the group, read new entries, take over entries left idle, check and refresh who holds
// an entry, acknowledge. Each answers a value or a stream_error; callers never parse a reply.
//
// Thread-safety: as the connection (its worker's thread).
#pragma once

#include "redis/connection.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/assert/source_location.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace varco::redis {

using stream_fields = std::vector<std::pair<std::string, std::string>>;  // in stream order

struct stream_entry {
  std::string id;        // as Redis assigned it: "<ms>-<seq>"
  stream_fields fields;  // empty for an entry deleted from the stream while pending

  const std::string& field(std::string_view name) const;  // "" when absent
};

// Why a stream command did not succeed.
struct stream_error {
  // store_errc::unavailable or timeout: no answer (the connection failed); store_errc::protocol:
  // Redis refused the command (`reply` says why) or answered in an unexpected shape.
  boost::system::error_code code;
  std::string reply;  // Redis's error reply ("NOGROUP No such key …"); "" when it gave none

  bool refused() const { return !reply.empty(); }
  // The stream or its consumer group does not exist (any more).
  bool no_group() const { return reply.starts_with("NOGROUP"); }
  // For a log line: what Redis said, else what failed.
  std::string text() const { return refused() ? reply : code.message(); }
};

// What stream_result::value() throws on an error (found by Boost.System through ADL): a
// boost::system::system_error with the code and Redis's reply.
[[noreturn]] void throw_exception_from_error(const stream_error& error,
                                             const boost::source_location& location);

template <class T>
using stream_result = boost::system::result<T, stream_error>;

// One consumer of one group of one stream.
struct stream_consumer {
  std::string_view stream;
  std::string_view group;
  std::string_view consumer;  // unique per reader: it owns the entries it was given
};

// XADD stream * field value …: the id Redis gave the new entry (nothing trimmed).
boost::asio::awaitable<stream_result<std::string>> stream_append(connection& redis,
                                                                 std::string_view stream,
                                                                 const stream_fields& fields);

// XGROUP CREATE … 0 MKSTREAM: the group reads from the stream's start, so entries appended before
// it existed are delivered too; the stream is created when missing. A group that exists already
// (BUSYGROUP) is success.
boost::asio::awaitable<stream_result<void>> create_group(connection& redis, std::string_view stream,
                                                         std::string_view group);

// XREADGROUP … COUNT count BLOCK block STREAMS stream >: up to `count` entries never delivered
// to the group, now pending for this consumer; empty when none arrived within `block`. The
// connection's command_timeout must exceed `block`.
boost::asio::awaitable<stream_result<std::vector<stream_entry>>> read_group(
    connection& redis, const stream_consumer& reader, std::size_t count,
    std::chrono::milliseconds block);

// XAUTOCLAIM … min_idle 0-0 COUNT count: up to `count` entries pending for any consumer and idle
// at least `min_idle`, now this consumer's (Redis ≥ 7).
boost::asio::awaitable<stream_result<std::vector<stream_entry>>> claim_idle(
    connection& redis, const stream_consumer& reader, std::chrono::milliseconds min_idle,
    std::size_t count);

// XPENDING stream group id id 1: the consumer the entry is pending for; "" when it is not
// pending (acknowledged, or never delivered).
boost::asio::awaitable<stream_result<std::string>> pending_owner(connection& redis,
                                                                 std::string_view stream,
                                                                 std::string_view group,
                                                                 std::string_view id);

// XCLAIM … 0 id JUSTID: makes the pending entry this consumer's and resets its idle time
// without counting a delivery; false when it is not pending.
boost::asio::awaitable<stream_result<bool>> claim(connection& redis, const stream_consumer& reader,
                                                  std::string_view id);

// XACK then XDEL, in one round trip: the entry leaves the group's pending list and the stream.
// The result is the XACK's.
boost::asio::awaitable<stream_result<void>> acknowledge_and_delete(connection& redis,
                                                                   std::string_view stream,
                                                                   std::string_view group,
                                                                   std::string_view id);

}  // namespace varco::redis
