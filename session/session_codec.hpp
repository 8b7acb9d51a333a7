// The stored form of a session: a versioned JSON document ({"v":1,…}).
//
// The key is not part of the document (it is the store's key). Decoding treats its input as
// untrusted: any shape or type mismatch is store_errc::corrupt, never an exception. Encoding
// builds a Boost.JSON object (session_codec.cpp); decoding reads the parser's events straight
// into the session, without a tree (session_decoder.cpp: it runs on every request when the
// session cache is off).
#pragma once

#include "session/errors.hpp"
#include "session/session.hpp"

#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace varco::session {

inline constexpr int session_format_version = 1;

std::string encode_session(const session& s);

// `key` is copied into the result's key field.
boost::system::result<session> decode_session(std::string_view json, std::string_view key = {});

}  // namespace varco::session
