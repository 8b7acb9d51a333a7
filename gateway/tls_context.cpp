#include "gateway/tls_context.hpp"

#include <openssl/ssl.h>

namespace varco::gateway {

boost::system::result<std::shared_ptr<boost::asio::ssl::context>, std::string>
make_server_tls_context(const conf::tls_files& files) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1)
    return std::string("cannot require TLS 1.2 or later");
  context->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                       ssl::context::single_dh_use);
  // Server cipher preference; TLS 1.2 limited to forward-secret AEAD suites.
  SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_cipher_list(native,
                          "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                          "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                          "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
  boost::system::error_code ec;
  context->use_certificate_chain_file(files.certificate_file, ec);
  if (ec) return "certificate " + files.certificate_file + ": " + ec.message();
  context->use_private_key_file(files.key_file, ssl::context::pem, ec);
  if (ec) return "key " + files.key_file + ": " + ec.message();
  if (SSL_CTX_check_private_key(native) != 1)
    return "key " + files.key_file + " does not match certificate " + files.certificate_file;
  return context;
}

}  // namespace varco::gateway
