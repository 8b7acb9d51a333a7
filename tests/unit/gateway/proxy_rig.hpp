// The gateway's side of a proxied exchange, in-process: a client connects over loopback, its
// request head is read and rewritten as the product path does (append_upstream_head), and
// forward() relays it to a loopback_upstream through a real upstream_pool. No worker, no
// configuration file: only the pieces forward() takes.
#pragma once

#include "conf/config.hpp"
#include "gateway/http/asio_types.hpp"
#include "gateway/http/gateway_cookies.hpp"
#include "gateway/proxy.hpp"
#include "gateway/upstream_pool.hpp"

#include <boost/asio/co_spawn.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

namespace varco::gateway::testing {

// The claims block the rig sends upstream for the signed-in user (what worker::claims_block()
// would give): the only identity fields a product may see.
inline constexpr std::string_view rig_fiscal_number = "TINIT-RSSMRA80A01H501U";
inline constexpr std::string_view rig_claims_block =
    "X-Varco-User-Fiscal-Number: TINIT-RSSMRA80A01H501U\r\n"
    "X-Varco-Identity-Token: signed.by.varco\r\n";

struct rig_exchange {
  proxy_outcome outcome;
  std::string client_received;  // every byte the client read until the connection closed
};

class proxy_rig {
 public:
  proxy_rig(asio::io_context& io, std::uint16_t upstream_port);

  conf::environment& environment() noexcept { return environment_; }
  const conf::upstream_url& upstream() const noexcept { return environment_.upstreams.front(); }
  upstream_pool& pool() noexcept { return pool_; }

  // One client connection carrying `raw_request`; the gateway forwards that one request, then
  // closes the connection. Completes once the client has read everything up to the close.
  awaitable<rig_exchange> exchange(std::string raw_request);

 private:
  awaitable<proxy_outcome> gateway_side();
  awaitable<std::string> client_side(std::string raw_request);

  asio::io_context& io_;
  conf::product product_;
  conf::environment environment_;
  gateway_cookies own_cookies_;
  upstream_pool pool_;
  tcp::acceptor listener_;
};

// Runs `task` on `io` until it completes (or 30 s pass: a hung exchange fails the test instead
// of the run). Rethrows what the task threw.
template <class T>
T run_until_done(asio::io_context& io, awaitable<T> task) {
  std::optional<T> result;
  std::exception_ptr error;
  asio::co_spawn(io, std::move(task), [&](std::exception_ptr thrown, T value) {
    error = thrown;
    if (!thrown) result.emplace(std::move(value));
    io.stop();
  });
  io.restart();
  io.run_for(std::chrono::seconds(30));
  if (error) std::rethrow_exception(error);
  if (!result) throw std::runtime_error("the exchange did not complete within 30 s");
  return std::move(*result);
}

// The client's bytes as an HTTP response (a truncated one: as far as it goes, is_done false).
struct client_view {
  http::response<http::string_body> response;
  bool complete = false;
};
client_view parse_client_bytes(std::string_view bytes);

}  // namespace varco::gateway::testing
