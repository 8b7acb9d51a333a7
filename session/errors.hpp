// Error codes of the session module, as a boost::system error category.
#pragma once

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace varco::session {

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

}  // namespace varco::session

template <>
struct boost::system::is_error_code_enum<varco::session::store_errc> : std::true_type {};
