// The request fields the gateway reads, found in one pass over the parsed header.
//
// Beast's lookups (operator[], equal_range) walk its field set once per name, and names it does not
// know (X-Forwarded-*, X-Request-Id) are hashed first: a dozen lookups per proxied request,
// profiled at about a tenth of the request path's user time. Views point into the header, which
// outlives every use.
#pragma once

#include <boost/beast/http/message.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace varco::gateway {

struct request_fields {
  // The first occurrence of each, as Beast's operator[] returns; empty when absent.
  std::string_view host;
  std::string_view accept;
  std::string_view connection;
  std::string_view proxy_connection;
  std::string_view transfer_encoding;
  std::string_view upgrade;
  std::string_view expect;
  std::string_view x_request_id;
  std::string_view x_forwarded_for;
  std::string_view x_forwarded_proto;
  std::string_view x_forwarded_host;
  std::string_view content_length;  // the first one (more than one is refused anyway)
  // Every Cookie field, in order (browsers send one; a few more are kept, the rest ignored).
  std::array<std::string_view, 4> cookies{};
  std::size_t cookie_count = 0;
  // How many Host, Transfer-Encoding and Content-Length fields there were: more than one of any
  // makes the request's target or framing ambiguous (refused: RFC 9112 3.2 and 6.3).
  std::size_t host_count = 0;
  std::size_t transfer_encoding_count = 0;
  std::size_t content_length_count = 0;
};

// True when the Transfer-Encoding value's final coding is chunked (RFC 9112 6.3: otherwise a
// request's body length cannot be determined and the request is refused).
bool final_coding_is_chunked(std::string_view transfer_encoding);

// True when the Transfer-Encoding value is exactly "chunked" (any case, no other coding): the
// proxy undoes chunked and re-frames the body, but no other coding, so "gzip, chunked" would reach
// the upstream as a gzip body labelled as none (RFC 9112 6.1: refuse with 501).
bool only_chunked(std::string_view transfer_encoding);

// True when a Content-Length value is 1*DIGIT (RFC 9110 8.6). Beast accepts a list of equal values
// ("4, 4") and would forward it as written: an upstream that reads the list differently is a
// smuggling vector, so anything but plain digits is refused.
bool is_plain_length(std::string_view content_length);

// Whether a Content-Length of plain digits (is_plain_length) declares more than `limit` bytes;
// any number of digits, so a 30-digit length is over every limit rather than an overflow.
bool length_exceeds(std::string_view content_length, std::uint64_t limit);

request_fields gather_request_fields(const boost::beast::http::request_header<>& request);

}  // namespace varco::gateway
