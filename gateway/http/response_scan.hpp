// A fast, conservative reading of an upstream response head for the proxy's common case: a
// well-formed HTTP/1.x response with a Content-Length body and nothing unusual in its head.
//
// It never decides that a response is invalid: anything it does not fully understand (chunked or
// close-delimited bodies, 1xx/204/304, obs-fold, duplicate Content-Length, Connection options
// beyond close/keep-alive, bare LF, control characters, ...) is answered `use_full_parser`, and
// the proxy hands the same bytes to Beast's strict parser as before. What it accepts it turns, in
// the same pass, into the head the client gets — the output response_head() would produce — so a
// plain response crosses the gateway without being parsed into fields and serialised again
// (profiled as a third of the proxy's user-space time).
#pragma once

#include "gateway/http/gateway_cookies.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace varco::gateway {

enum class scan_status {
  ready,           // the head is complete and understood; see scanned_response
  need_more,       // no blank line yet, and under the header budget
  use_full_parser  // anything else: let the strict parser decide
};

struct scanned_response {
  std::size_t head_bytes = 0;  // through the blank line
  unsigned status = 0;
  std::uint64_t content_length = 0;
  bool upstream_keep_alive = false;  // the upstream connection may be reused after the body
  bool has_request_id = false;       // the upstream set X-Request-Id itself
};

// Scans `bytes` (what the upstream sent so far). On `ready`, `client_head` holds the status line
// and end-to-end fields for the client plus the connection decision (keep_alive, client_version
// as in response_head()), without the blank line; on other results its content is unspecified.
// A Set-Cookie that would set one of `own_cookies` (a product reaching for varco's session) is
// also left to the full parser, whose path removes it (gateway_cookies::remove_set_cookies).
scan_status scan_response_head(std::string_view bytes, std::size_t header_limit, bool keep_alive,
                               unsigned client_version, const gateway_cookies& own_cookies,
                               scanned_response& out, std::string& client_head);

}  // namespace varco::gateway
