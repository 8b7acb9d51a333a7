// What the request handler uses of its worker, as an interface: the per-worker caches, counters
// and endpoints. The worker implements it; the request handler's unit tests implement it
// in-process (tests/unit/endpoints/request_handler_test.cpp).
#pragma once

#include "directory/model.hpp"
#include "gateway/endpoint/exchange.hpp"
#include "gateway/endpoint/runtime.hpp"
#include "gateway/login/login_endpoints.hpp"
#include "gateway/portal/area_services.hpp"
#include "session/login_state_store.hpp"
#include "session/session.hpp"
#include "session/session_service.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace varco::gateway {

class request_services {
 public:
  virtual ~request_services() = default;

  // The newest runtime this thread has seen (the connection's own refusals use it).
  virtual const std::shared_ptr<const runtime>& current_runtime() = 0;
  virtual session::session_service& sessions() noexcept = 0;
  virtual session::login_state_store& login_state() noexcept = 0;
  virtual login_endpoints& login() noexcept = 0;
  virtual area_services& area() noexcept = 0;

  // The request's id: the one a trusted proxy sent in X-Request-Id (`incoming`), else a new one.
  virtual std::string request_id_for(std::string_view incoming, const client_info& client) = 0;
  virtual void note_session_lookup(bool cache_hit, bool store_failed) noexcept = 0;
  // /readyz: every worker's session store is reachable; the server is draining.
  virtual bool every_store_healthy() const = 0;
  virtual bool draining() const noexcept = 0;
  virtual std::string render_metrics() const = 0;

  // Product requests: the upstream of a multi-upstream environment (round robin), a recycled
  // buffer for the upstream head, and the claim header lines and token header line for this
  // session, party, product and environment (cached; built and signed only on a miss).
  virtual std::size_t next_upstream(std::size_t count) noexcept = 0;
  virtual std::string take_head_buffer() = 0;
  virtual const std::string& claims_block(const runtime& current, const session::session& user,
                                          const directory::party& party,
                                          const directory::membership& membership,
                                          const conf::product& product,
                                          const conf::environment& env) = 0;
};

}  // namespace varco::gateway
