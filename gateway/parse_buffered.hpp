// Parses what is already in a read buffer without starting an I/O operation.
//
// Most requests and small upstream responses arrive in one segment: after the read that brought
// them in, the whole header (or message) is in the buffer. Parsing it synchronously skips an
// asynchronous read that would only complete at once — one timer, one post and one coroutine
// resumption fewer per message (profiled on the proxy's hot path).
#pragma once

#include "gateway/asio_types.hpp"

namespace varco::gateway {

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
