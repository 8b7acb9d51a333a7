// The process: builds the workers from the first runtime, binds the listeners, runs one thread
// per worker, and handles signals on the main thread (SIGHUP reload, SIGTERM/SIGINT drain).
#pragma once

#include "gateway/http/asio_types.hpp"
#include "gateway/runtime.hpp"

#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace varco::session {
class memory_store;
class memory_login_state;
}  // namespace varco::session

namespace varco::directory {
class memory_directory;
}

namespace varco::gateway {

class audit_sink;
class crypto_pool;
class worker;

// What the workers share. Everything here is either immutable after start-up or atomic.
class shared_state {
 public:
  explicit shared_state(std::shared_ptr<const runtime> first) : runtime_holder(std::move(first)) {}

  gateway::runtime_holder runtime_holder;
  std::shared_ptr<session::memory_store> memory_store;  // the one store when sessions.store=memory
  std::shared_ptr<session::memory_login_state> memory_login_state;  // likewise
  std::shared_ptr<directory::memory_directory> memory_directory;    // when directory.backend=memory
  std::shared_ptr<asio::ssl::context> tls;  // server context when a TLS listener exists
  audit_sink* audit = nullptr;              // the audit logs of the login flow (owned by serve())
  crypto_pool* crypto = nullptr;            // the login path's signing threads (owned by serve())
  std::atomic<std::size_t> active_connections{0};
  std::vector<worker*> workers;          // fixed after start-up (metrics)
  std::function<void()> worker_drained;  // a worker has no connection left
};

struct serve_options {
  std::string config_path;
  std::string ready_file;  // written with the bound listeners once accepting
};

// Runs until SIGTERM/SIGINT and the drain are over. Returns the process exit code.
int serve(const serve_options& options);

}  // namespace varco::gateway
