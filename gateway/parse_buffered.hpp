// Parses what is already in a read buffer without starting an I/O operation.
//
// Most requests and small upstream responses arrive in one segment: after the read that brought
// them in, the whole header (or message) is in the buffer. Parsing it synchronously skips an
// asynchronous read that would only complete at once — one timer, one post and one coroutine
// resumption fewer per message (profiled on the proxy's hot path).
#pragma once

#include "gateway/http/asio_types.hpp"

#include <boost/system/error_category.hpp>

#include <cstring>
#include <string>
#include <string_view>

namespace varco::gateway {

// Header lines Beast would accept but varco refuses (400, with these reason codes).
enum class request_head_errc { folded_line = 1 };

inline const boost::system::error_category& request_head_category() {
  struct category final : boost::system::error_category {
    const char* name() const noexcept override { return "varco.request_head"; }
    std::string message(int) const override {
      return "a header line starts with whitespace (obs-fold)";
    }
  };
  static const category instance;
  return instance;
}

inline boost::system::error_code make_error_code(request_head_errc e) {
  return {static_cast<int>(e), request_head_category()};
}

// True when a line of the request head in `bytes` (up to its empty line) starts with a space or a
// tab: obs-fold, or whitespace before the first field (RFC 9112 5.2, 2.2). Beast unfolds such a
// line into the previous field's value, so "X-A: 1\r\n X-Varco-User: forged" would reach the
// upstream as one odd value of X-A: harmless to a strict upstream, a claim to a lax one that
// splits values on whitespace. RFC 9112 lets a server refuse instead; varco does (as do nginx for
// request heads and HAProxy). memchr per line: a few hundred bytes per request.
inline bool has_folded_line(std::string_view bytes) {
  std::size_t at = 0;
  while (at < bytes.size() && (bytes[at] == '\r' || bytes[at] == '\n')) ++at;  // leading CRLFs
  while (at < bytes.size()) {
    const void* found = std::memchr(bytes.data() + at, '\n', bytes.size() - at);
    if (found == nullptr) return false;
    const std::size_t next =
        static_cast<std::size_t>(static_cast<const char*>(found) - bytes.data()) + 1;
    if (next >= bytes.size()) return false;
    const char c = bytes[next];
    if (c == ' ' || c == '\t') return true;
    if (c == '\r' || c == '\n') return false;  // the empty line: the head ends, the body starts
    at = next;
  }
  return false;
}

// Feeds `buffer` to `parser` until the header (or, with whole_message, the message) is complete,
// the buffer is exhausted, or an error. True when the goal was reached; `ec` holds a real parse
// error (never need_more).
template <bool isRequest, class Body>
bool parse_buffered(http::parser<isRequest, Body>& parser, beast::flat_buffer& buffer,
                    bool whole_message, beast::error_code& ec) {
  auto reached = [&] { return whole_message ? parser.is_done() : parser.is_header_done(); };
  while (!reached() && buffer.size() > 0) {
    const std::size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == http::error::need_more) {
      ec = {};
      break;
    }
    if (ec || used == 0) break;
  }
  return !ec && reached();
}

// Like parse_buffered for a request header, with `header_left` bytes of budget for the whole
// header however many reads it takes: Beast's parser consumes complete fields as they arrive and
// applies its own header_limit only to the bytes of one put(), so a header sent in pieces would
// otherwise grow without bound. A header over the budget ends with http::error::header_limit.
template <class Body>
bool parse_header_within(http::request_parser<Body>& parser, beast::flat_buffer& buffer,
                         std::size_t& header_left, beast::error_code& ec) {
  while (!parser.is_header_done() && buffer.size() > 0) {
    // Beast parses a head only once it is whole in the buffer, so the buffer still holds all of it
    // here, from its first byte.
    const auto pending = buffer.data();
    if (has_folded_line({static_cast<const char*>(pending.data()), pending.size()})) {
      ec = make_error_code(request_head_errc::folded_line);
      return false;
    }
    parser.header_limit(static_cast<std::uint32_t>(header_left));
    const std::size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    header_left -= std::min(used, header_left);
    if (ec == http::error::need_more) {
      ec = {};
      break;
    }
    if (ec || used == 0) break;
  }
  // Unparsed bytes still belong to the header (the parser may hold them back to scan for its end
  // in one go): when they alone fill the budget, the header is over it.
  if (!ec && !parser.is_header_done() && buffer.size() >= header_left)
    ec = http::error::header_limit;
  return !ec && parser.is_header_done();
}

}  // namespace varco::gateway
