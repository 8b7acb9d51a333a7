// Canonical form of a request path, used both for routing/policy and for what is sent upstream,
// so the upstream sees exactly the path the policy decided on (no decoding differentials).
//
// Pure functions, thread-safe, no allocation beyond the returned string.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <string_view>
#include <type_traits>

namespace varco::gateway {

// Why a path was refused; every value maps to a 400 answer.
enum class path_errc {
  not_origin_form = 1,  // empty, or not starting with '/' (absolute-form, asterisk-form, ...)
  bad_escape,           // '%' not followed by two hex digits
  encoded_separator,    // %2F or %5C, or a raw '\': ambiguous segment boundaries upstream
  control_character,    // raw or encoded NUL, C0 control or DEL
  ambiguous_segment,    // "..;x" or ".;x": servlet containers treat these as dot segments
};

const boost::system::error_category& path_category() noexcept;
boost::system::error_code make_error_code(path_errc e) noexcept;

// Stable, log- and metrics-friendly reason code, e.g. "path_encoded_separator".
std::string_view reason_code(path_errc e) noexcept;

// A request target split at the first '?'. Both views point into the argument.
struct target_parts {
  std::string_view path;
  std::string_view query;  // without the '?'; empty when there is none
  bool has_query = false;  // distinguishes "/a?" from "/a"
};

target_parts split_target(std::string_view target) noexcept;

// Normalises an origin-form path (no query):
//  - percent-decodes unreserved characters (ALPHA DIGIT - . _ ~), keeps every other valid escape
//    with upper-case hex, and percent-encodes raw bytes that are not valid path characters
//    (space, '"', '<', non-ASCII, ...);
//  - refuses encoded '/', '\', NUL and control characters, raw controls and raw '\', bad escapes;
//  - collapses duplicate slashes and removes dot segments (RFC 3986 5.2.4) after decoding, so
//    "%2e%2e" is a dot segment; ".." above the root stays at "/".
// A trailing slash is kept ("/a/" stays "/a/", "/a/b/.." becomes "/a/").
boost::system::result<std::string> normalize_path(std::string_view path);

namespace detail {
// normalize_path without its shortcut for paths already in normal form; the tests check that
// both always agree.
boost::system::result<std::string> normalize_path_general(std::string_view path);
}  // namespace detail

}  // namespace varco::gateway

namespace boost::system {
template <>
struct is_error_code_enum<varco::gateway::path_errc> : std::true_type {};
}  // namespace boost::system
