// The socket-free half of serving /static: which file a request names, whether it may be served,
// its Content-Type, its validator, and reading it. The HTTP side is static_files.hpp.
//
// Pure functions plus blocking file reads; thread-safe (no shared state).
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <type_traits>

namespace varco::gateway {

// Why a static file is not served. bad_path is a 400 (the request names no file varco could
// ever serve); the others are 404 (not_found, unknown_type, too_large) or 500 (unreadable).
enum class static_errc {
  bad_path = 1,  // empty, hidden ('.'-prefixed) segment, '\', NUL, '%', or escapes the root
  not_found,     // no such regular file
  unknown_type,  // an extension varco does not serve
  too_large,     // over the size cap
  unreadable,    // exists but could not be read
};

const boost::system::error_category& static_category() noexcept;
boost::system::error_code make_error_code(static_errc e) noexcept;
std::string_view reason_code(static_errc e) noexcept;  // "static_bad_path", …

// Content-Type by extension (css, js, svg, woff, woff2, ttf, eot, png, jpg, jpeg, ico, json,
// map); "" for any other extension, which is then not served.
std::string_view content_type_for(std::string_view file_name) noexcept;

// Checks `relative` (the part of a normalised request path after the mount point, without a
// leading '/') segment by segment, then resolves it under `root` with weakly_canonical and
// requires the result to stay under the canonical root, so a symlink pointing outside is refused
// like "..". Refuses: empty path or segment, segments starting with '.', '\', NUL, '%' (every
// served name is plain ASCII, so an escape left by the normaliser names nothing).
boost::system::result<std::filesystem::path> resolve_static_path(const std::filesystem::path& root,
                                                                 std::string_view relative);

// A strong validator from size and modification time (as nginx does): a changed file gets a new
// one without hashing the content on every request.
std::string static_etag(std::uintmax_t size, std::int64_t modified_ns);

// RFC 9110 §13.1.2: If-None-Match uses the weak comparison; "*" matches any current file.
bool if_none_match_hits(std::string_view if_none_match, std::string_view etag) noexcept;

struct static_file {
  std::string body;
  std::string etag;
  std::string_view content_type;      // static storage
  std::string_view content_encoding;  // "br", "gzip" or "" (identity); static storage
  bool varies_by_encoding = false;    // a compressible type: answer with Vary: Accept-Encoding
};

// Text types worth compressing (css, js, svg, json, map); fonts and images are compressed already.
bool is_compressible(std::string_view content_type) noexcept;

// The codings of Accept-Encoding varco can serve precompressed: named (or "*") with a non-zero q.
struct accepted_codings {
  bool br = false;
  bool gzip = false;
};
accepted_codings parse_accept_encoding(std::string_view header) noexcept;

// resolve_static_path, then a plain blocking read of at most `max_bytes`. Meant for the small
// files under /static: read on the worker thread, like nginx without aio. For a compressible file
// the client accepts compressed, `<file>.br` or `<file>.gz` is read instead when it exists and is
// not older than the file (content_encoding says which; its ETag is the file's with "-br" or
// "-gzip" inside the quotes).
boost::system::result<static_file> read_static_file(const std::filesystem::path& root,
                                                    std::string_view relative,
                                                    std::size_t max_bytes,
                                                    accepted_codings accepted = {});

}  // namespace varco::gateway

namespace boost::system {
template <>
struct is_error_code_enum<varco::gateway::static_errc> : std::true_type {};
}  // namespace boost::system
