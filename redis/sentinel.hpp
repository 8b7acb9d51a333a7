// Redis Sentinel discovery for redis::connection (sessions.redis.sentinel).
#pragma once

#include "conf/config.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace varco::redis {

// "host:port", for log lines.
std::string address_text(const conf::redis_address& a);

// Asks the sentinels, in order, for the address of the primary they monitor as
// config.sentinel.master_name; the first answer wins, nullopt when none answers. Each probe is a
// short-lived connection of its own (no SELECT: sentinels have no databases).
boost::asio::awaitable<std::optional<conf::redis_address>> ask_sentinels(
    boost::asio::any_io_executor executor, conf::redis config);

}  // namespace varco::redis
