// One client connection: reads requests one at a time (keep-alive, bounded pipelining), asks the
// request handler what to do, answers or forwards, logs. Templated on the stream so the plain and
// the TLS listener share it; instantiated in http_connection_plain.cpp and http_connection_tls.cpp.
#pragma once

#include "gateway/deadline_stream.hpp"
#include "gateway/endpoint/exchange.hpp"
#include "gateway/http/asio_types.hpp"

#include <boost/beast/ssl/ssl_stream.hpp>

namespace varco::gateway {

class worker;

using plain_stream = deadline_stream;
using tls_stream = beast::ssl_stream<deadline_stream>;

// Runs the connection to its end. `stream` is connected (TLS: not yet handshaken).
template <class Stream>
awaitable<void> serve_connection(Stream stream, client_info client, worker& owner);

}  // namespace varco::gateway
