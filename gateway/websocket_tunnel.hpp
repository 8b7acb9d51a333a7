// Relays raw bytes both ways between the client and the upstream after a 101 Switching Protocols
// (WebSocket). Ends when either side closes, errs, or both stay silent for `idle`.
#pragma once

#include "gateway/http/asio_types.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <array>
#include <chrono>
#include <memory>

namespace varco::gateway {
namespace tunnel_detail {

template <class From, class To>
awaitable<void> pump(From& from, beast::flat_buffer& already_read, To& to,
                     std::chrono::milliseconds idle) {
  // Bytes the HTTP parser read past the header belong to the tunnel.
  if (already_read.size() > 0) {
    beast::get_lowest_layer(to).expires_after(idle);
    auto [ec, n] = co_await asio::async_write(to, already_read.data(), use_nothrow);
    if (ec) co_return;
    already_read.consume(already_read.size());
  }
  auto chunk = std::make_unique<std::array<char, 16 * 1024>>();
  for (;;) {
    beast::get_lowest_layer(from).expires_after(idle);
    auto [read_ec, n] = co_await from.async_read_some(asio::buffer(*chunk), use_nothrow);
    if (read_ec) co_return;
    beast::get_lowest_layer(to).expires_after(idle);
    auto [write_ec, written] =
        co_await asio::async_write(to, asio::buffer(chunk->data(), n), use_nothrow);
    if (write_ec) co_return;
  }
}

}  // namespace tunnel_detail

template <class ClientStream, class UpstreamStream>
awaitable<void> tunnel(ClientStream& client, beast::flat_buffer& client_buffer,
                       UpstreamStream& upstream, beast::flat_buffer& upstream_buffer,
                       std::chrono::milliseconds idle) {
  using namespace asio::experimental::awaitable_operators;
  // Whichever direction ends first cancels the other.
  co_await (tunnel_detail::pump(client, client_buffer, upstream, idle) ||
            tunnel_detail::pump(upstream, upstream_buffer, client, idle));
}

}  // namespace varco::gateway
