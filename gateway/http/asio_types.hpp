// The Asio/Beast vocabulary shared by the gateway's I/O files.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace varco::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

// Completion token for coroutines that inspect errors instead of catching exceptions: every I/O
// failure is an expected event on a proxy, never an exception across a handler.
inline constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);

template <class T = void>
using awaitable = asio::awaitable<T>;

}  // namespace varco::gateway
