// OpenSSL contexts: the server side of a TLS listener (TLS 1.2 and 1.3 only).
#pragma once

#include "conf/config.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/system/result.hpp>

#include <memory>
#include <string>

namespace varco::gateway {

// Loads the certificate chain and key; the error is a readable sentence.
boost::system::result<std::shared_ptr<boost::asio::ssl::context>, std::string>
make_server_tls_context(const conf::tls_files& files);

}  // namespace varco::gateway
