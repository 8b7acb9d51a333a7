// Errors of the Redis client and of the stores built on it, as one boost::system error category:
// a store passes the client's unavailable / timeout through unchanged, adds corrupt for data it
// cannot decode, and callers compare against one enum. The category keeps its name
// ("varco.session.store") and messages: the sessions were its first users.
#pragma once

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace varco::redis {

enum class store_errc {
  unavailable = 1,  // no connection to the store (Redis down, reconnecting)
  timeout,          // the store did not answer within redis.command_timeout
  protocol,         // unexpected reply
  corrupt,          // stored data could not be decoded
};

const boost::system::error_category& store_category() noexcept;

inline boost::system::error_code make_error_code(store_errc e) noexcept {
  return {static_cast<int>(e), store_category()};
}

}  // namespace varco::redis

template <>
struct boost::system::is_error_code_enum<varco::redis::store_errc> : std::true_type {};
