// The real outbound HTTP client: one GET or POST on a fresh connection (Connection: close),
// http:// or https://, bounded by the request's timeout from resolve to the last byte and by its
// max_body_bytes before the body is read. Redirects are not followed: a 3xx is a response.
//
// https verifies the peer's certificate against the context's trust anchors and the URL's host
// (DNS name or IP address), and sends the host name as SNI.
//
// Logs a failure's cause (an OpenSSL or socket message) with the URL's scheme, host and path,
// never its query, the request's fields or either body.
#pragma once

#include "gateway/outbound/fetch.hpp"

#include <boost/asio/ssl/context.hpp>

namespace varco::gateway {

class http_fetcher final : public fetcher {
 public:
  // `tls` (make_client_tls_context) must outlive the fetcher; it is only read, so fetches may run
  // on several threads at once, each on its own executor.
  explicit http_fetcher(asio::ssl::context& tls) : tls_(tls) {}

  // Runs on the caller's executor.
  awaitable<fetch_result> fetch(fetch_request request) override;

 private:
  asio::ssl::context& tls_;
};

}  // namespace varco::gateway
