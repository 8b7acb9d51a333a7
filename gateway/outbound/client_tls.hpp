// The OpenSSL context of the outbound fetches' https connections (http_fetcher.hpp).
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/system/result.hpp>

#include <memory>
#include <string>

namespace varco::gateway {

// A TLS 1.2+ client context that verifies peers against the system's CA store, or against the
// PEM certificates of `ca_file` alone when it is not empty. Start-up code: the error is a
// readable sentence naming the file. The context is immutable once made, so one may serve every
// worker's fetches at once.
boost::system::result<std::shared_ptr<boost::asio::ssl::context>, std::string>
make_client_tls_context(const std::string& ca_file);

}  // namespace varco::gateway
