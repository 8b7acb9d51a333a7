// What the request handler decides for one request, and what the access log learns about it.
#pragma once

#include "gateway/endpoint/proxy_target.hpp"
#include "gateway/http/asio_types.hpp"
#include "gateway/http/language.hpp"
#include "gateway/routing/route_class.hpp"

#include <boost/asio/ip/address.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace varco::gateway {

struct client_info {
  asio::ip::address peer;
  std::string peer_text;  // for the access log, formatted once per connection
  bool tls = false;
};

struct exchange_notes {
  gateway::route_class route = route_class::other;
  std::string_view reason;  // reason code of a refusal or failure (static storage)
  std::string path;         // normalised path, without the query (queries may carry tokens)
  std::string product;
  std::string environment;
  std::string party;
  std::string upstream;
  std::string request_id;
  // The client's address, once per request: the first untrusted hop (client_address() in
  // gateway/http/forwarded.hpp). Empty before the request's header was read; then the peer.
  std::string client;
  std::string_view product_title;  // for error pages; points into the request's runtime
  std::string_view environment_label;
  bool json = false;  // the client prefers JSON answers (decided once per request)
  bool tls = false;   // the client's connection is TLS (HSTS on varco's own pages)
  // The language of varco's own pages: ?lang= on the request, else the varco_lang cookie, else it
  // (gateway/pages/page_language.hpp); set for browser requests only.
  gateway::language lang = gateway::language::it;
  bool language_chosen = false;  // ?lang= named it: the answer stores the choice in a cookie
  // varco's own pages only: the request target (path and query) the page answers, where its
  // language switch leads back to. Never logged (a query may carry tokens).
  std::string page_target;
  bool accepts_gzip = false;  // varco's own pages only: Accept-Encoding allows gzip
};

struct handler_result {
  // Exactly one of the two is set: an answer from the gateway itself, or a request to forward.
  std::optional<http::response<http::string_body>> response;
  std::optional<proxy_target> proxy;
  exchange_notes notes;
  bool expect_continue = false;  // the client waits for 100 Continue before sending its body
  // Set, with neither response nor proxy, when the gateway's own endpoint needs the request body
  // (a form posted to /saml/acs, /area/party, ...): the connection reads it, at most body_limit
  // bytes (more → 413), and hands it to request_handler::handle_body().
  bool wants_body = false;
  // The largest body the request may carry, from routing/reserved_routes.hpp for varco's own paths
  // (set by request_handler::decide() before any endpoint runs; 0: none is read).
  std::size_t body_limit = 0;
};

}  // namespace varco::gateway
