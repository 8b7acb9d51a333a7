#include "proxy_rig.hpp"

#include "gateway/deadline_stream.hpp"
#include "gateway/endpoint/exchange.hpp"
#include "gateway/http/path_normalizer.hpp"
#include "gateway/http/request_fields.hpp"
#include "gateway/proxy_impl.hpp"
#include "gateway/upstream_head.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/write.hpp>

#include <array>

namespace varco::gateway::testing {

using namespace std::chrono_literals;

proxy_rig::proxy_rig(asio::io_context& io, std::uint16_t upstream_port)
    : io_(io), pool_(io), listener_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  product_.id = "prod-test";
  product_.title = "Test";
  conf::upstream_url url;
  url.host = "127.0.0.1";
  url.port = upstream_port;
  url.text = "http://127.0.0.1:" + std::to_string(upstream_port);
  environment_.id = "collaudo";
  environment_.label = "Collaudo";
  environment_.upstreams.push_back(url);
  environment_.connect_timeout = 2s;
  environment_.response_timeout = 10s;
  environment_.pool_size = 4;
}

awaitable<rig_exchange> proxy_rig::exchange(std::string raw_request) {
  using namespace asio::experimental::awaitable_operators;
  auto [outcome, received] = co_await (gateway_side() && client_side(std::move(raw_request)));
  co_return rig_exchange{outcome, std::move(received)};
}

awaitable<proxy_outcome> proxy_rig::gateway_side() {
  auto [accept_ec, socket] = co_await listener_.async_accept(use_nothrow);
  if (accept_ec) throw boost::system::system_error(accept_ec);
  deadline_stream client{std::move(socket)};
  beast::flat_buffer buffer;
  http::request_parser<http::empty_body> parser;
  parser.body_limit(boost::none);
  client.expires_after(10s);
  auto [read_ec, n] = co_await http::async_read_header(client, buffer, parser, use_nothrow);
  if (read_ec) throw boost::system::system_error(read_ec);

  // The product path's rewrite (product_request.cpp), for an untrusted peer on a host-less route.
  const auto& request = parser.get();
  const request_fields fields = gather_request_fields(request);
  const target_parts parts = split_target(request.target());
  const route_match route{&product_, nullptr, {}, std::string(parts.path)};
  client_info peer;
  peer.peer = client.socket().remote_endpoint().address();
  peer.peer_text = peer.peer.to_string();
  proxy_target target;
  target.product = &product_;
  target.environment = &environment_;
  target.upstream = &environment_.upstreams.front();
  target.method = request.method();
  target.request_id = "rig-request-1";
  target.own_cookies = &own_cookies_;
  const upstream_head_inputs inputs{
      product_,          *target.upstream, route, parts.path, parts, own_cookies_, {},
      target.request_id, rig_claims_block, false};
  append_upstream_head(target.head, request, fields, peer, inputs);

  proxy_limits limits{10s};
  limits.keep_alive = false;  // one request per client connection in the rig
  proxy_outcome outcome = co_await forward(client, buffer, parser, target, pool_, limits);
  boost::system::error_code ignored;
  client.socket().shutdown(tcp::socket::shutdown_both, ignored);
  client.socket().close(ignored);
  co_return outcome;
}

awaitable<std::string> proxy_rig::client_side(std::string raw_request) {
  tcp::socket socket{io_};
  auto [connect_ec] = co_await socket.async_connect(listener_.local_endpoint(), use_nothrow);
  if (connect_ec) throw boost::system::system_error(connect_ec);
  auto [write_ec, written] =
      co_await asio::async_write(socket, asio::buffer(raw_request), use_nothrow);
  if (write_ec) throw boost::system::system_error(write_ec);
  std::string received;
  std::array<char, 16 * 1024> chunk{};
  for (;;) {
    auto [ec, got] = co_await socket.async_read_some(asio::buffer(chunk), use_nothrow);
    received.append(chunk.data(), got);
    if (ec) break;
  }
  co_return received;
}

client_view parse_client_bytes(std::string_view bytes) {
  client_view view;
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(boost::none);
  boost::system::error_code ec;
  std::size_t offset = 0;
  while (offset < bytes.size() && !parser.is_done()) {
    const std::size_t used =
        parser.put(asio::buffer(bytes.data() + offset, bytes.size() - offset), ec);
    offset += used;
    if (ec == http::error::need_more) {
      ec = {};
      if (used == 0) break;
      continue;
    }
    if (ec) break;
  }
  view.complete = parser.is_done();
  view.response = parser.release();
  return view;
}

}  // namespace varco::gateway::testing
