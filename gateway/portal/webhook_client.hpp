// One POST of a JSON document to the support webhook (http:// or https://), on a fresh
// connection, bounded by the webhook's timeout from resolve to the last byte of the response.
//
// Errors are values: the outcome says whether the webhook took the document and, when not,
// whether trying again may help (connection failures, timeouts, 5xx, 408, 429) or not (other
// 4xx: the webhook refuses this document and will refuse it again).
// Runs on the caller's executor; `tls` must outlive the call (only used for https URLs).
#pragma once

#include "conf/config.hpp"
#include "gateway/http/asio_types.hpp"

#include <boost/asio/ssl/context.hpp>

#include <string>
#include <string_view>

namespace varco::gateway {

struct webhook_outcome {
  bool delivered = false;
  bool retryable = false;
  unsigned status = 0;      // the webhook's HTTP status; 0 when none arrived
  std::string_view reason;  // webhook_connect_failed, webhook_timeout, webhook_tls_failed,
                            // webhook_io_failed, webhook_server_error, webhook_refused
};

// Whether an answered `status` counts as delivered (2xx) / worth retrying.
webhook_outcome classify_webhook_status(unsigned status);

// `idempotency_key` goes out as Idempotency-Key, so a receiver can drop the second copy of a
// request delivered twice (a crash between its 2xx and our acknowledgement).
awaitable<webhook_outcome> post_webhook(const conf::support_webhook& webhook,
                                        asio::ssl::context& tls, std::string body,
                                        std::string_view idempotency_key);

}  // namespace varco::gateway
