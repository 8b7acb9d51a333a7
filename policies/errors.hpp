// Error codes of the policies module, as a boost::system error category.
#pragma once

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace varco::policies {

enum class key_errc {
  unreadable = 1,  // the key file cannot be opened
  not_a_key,       // no PEM key could be read from it
  not_p256,        // a key, but not an EC P-256 key (ES256 needs exactly that curve)
  signing_failed,  // OpenSSL refused to sign (should not happen with a checked key)
};

const boost::system::error_category& key_category() noexcept;

inline boost::system::error_code make_error_code(key_errc e) noexcept {
  return {static_cast<int>(e), key_category()};
}

}  // namespace varco::policies

template <>
struct boost::system::is_error_code_enum<varco::policies::key_errc> : std::true_type {};
