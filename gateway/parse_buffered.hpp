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

}  // namespace varco::gateway
