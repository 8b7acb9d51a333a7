#include "gateway/outbound/client_tls.hpp"

#include <openssl/ssl.h>

namespace varco::gateway {

boost::system::result<std::shared_ptr<boost::asio::ssl::context>, std::string>
make_client_tls_context(const std::string& ca_file) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  if (SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION) != 1)
    return std::string("cannot require TLS 1.2 or later");
  context->set_options(ssl::context::default_workarounds | ssl::context::no_compression);
  // The fetcher sets verify_peer on each connection too; this covers any other user.
  context->set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  if (ca_file.empty()) {
    context->set_default_verify_paths(ec);
    if (ec) return "the system CA store: " + ec.message();
  } else {
    context->load_verify_file(ca_file, ec);
    if (ec) return "CA file " + ca_file + ": " + ec.message();
  }
  return context;
}

}  // namespace varco::gateway
