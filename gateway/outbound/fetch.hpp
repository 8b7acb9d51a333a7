// One outbound HTTP exchange as its users see it: the OpenID Connect relying party (discovery,
// JWKS, OpenID Federation entity configurations and fetch endpoints, the token and revocation
// POSTs) and SAML metadata loaded by URL. A request, the response or why there is none.
//
// Errors are values: a fetch never throws. `fetcher` is the interface those users are given, so
// their tests can answer from memory; `http_fetcher` (http_fetcher.hpp) is the real one.
#pragma once

#include "gateway/http/asio_types.hpp"

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace varco::gateway {

struct fetch_request {
  http::verb method = http::verb::get;  // get or post
  // http:// or https:// with a host; no user info, no fragment (parse_fetch_url, fetch_url.hpp).
  std::string url;
  // Extra fields (Accept, Authorization, If-None-Match, If-Modified-Since, ...). The fetcher sets
  // Host, User-Agent, Connection, Content-Type and Content-Length itself and refuses them here.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;                         // post only
  std::string content_type;                 // post only, e.g. application/x-www-form-urlencoded
  std::size_t max_body_bytes = 512 * 1024;  // the response body's bound: over it, too_large
  std::chrono::milliseconds timeout{5000};  // the whole exchange, resolve to last byte
};

// Any status is a response, 3xx and 4xx included: the fetcher follows no redirect.
struct fetch_response {
  unsigned status = 0;
  std::string content_type;  // the media type only, lower-case, without parameters
  std::string etag;
  std::string last_modified;
  std::string cache_control;  // every Cache-Control field, joined with ", "
  std::string body;
};

enum class fetch_error {
  bad_url,         // not an http(s) URL with a host, or with user info or a fragment
  bad_request,     // a method other than GET/POST, a body on a GET, a malformed or reserved field
  resolve_failed,  // the host name did not resolve
  connect_failed,  // no address accepted the connection
  tls_failed,      // the handshake failed: certificate, host name, protocol
  timeout,         // the request's timeout passed before the last byte
  io_failed,       // the connection failed or closed before the response was complete
  too_large,       // the response body is over max_body_bytes (found before it is read)
  bad_response,    // not an HTTP/1.x response within the header limit, or a 101
};

// "fetch_bad_url", "fetch_timeout", ...; "unknown" outside the enum.
std::string_view reason_code(fetch_error error) noexcept;

// What `.value()` on a failed fetch_result throws (found by ADL; start-up code only).
[[noreturn]] void throw_exception_from_error(fetch_error error, const boost::source_location& loc);

using fetch_result = boost::system::result<fetch_response, fetch_error>;

// The outbound HTTP client given to the modules that fetch. An implementation documents its
// thread-safety; the fetch runs on the caller's executor and completes there.
class fetcher {
 public:
  virtual ~fetcher() = default;
  virtual awaitable<fetch_result> fetch(fetch_request request) = 0;

 protected:
  fetcher() = default;
  fetcher(const fetcher&) = default;
  fetcher& operator=(const fetcher&) = default;
};

}  // namespace varco::gateway
