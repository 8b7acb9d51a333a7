// In-process stand-ins for the server's services (gateway/endpoint/services.hpp), so the login and
// Area Riservata endpoints run in a unit test without a worker, a socket or a Redis: the stores
// are the real in-memory ones, the interfaces are implemented here and record what was asked.
#pragma once

#include "../gateway/area_fixture.hpp"
#include "directory/memory_directory.hpp"
#include "gateway/endpoint/crypto_pool.hpp"
#include "gateway/endpoint/exchange.hpp"
#include "gateway/endpoint/runtime.hpp"
#include "gateway/endpoint/services.hpp"
#include "gateway/login/login_audit.hpp"
#include "session/memory_login_state.hpp"
#include "session/memory_store.hpp"
#include "session/session_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace varco::gateway::endpoint_testing {

class fixed_runtime final : public runtime_source {
 public:
  explicit fixed_runtime(std::shared_ptr<const runtime> first) : current_(std::move(first)) {}
  const std::shared_ptr<const runtime>& current() override { return current_; }
  const runtime& value() const { return *current_; }

 private:
  std::shared_ptr<const runtime> current_;
};

class counted_rejections final : public rejection_counter {
 public:
  void count_rejection(std::string_view reason) override { reasons.emplace_back(reason); }
  std::vector<std::string> reasons;
};

class recorded_audit final : public audit_sink {
 public:
  awaitable<bool> append_to(audit_target /*target*/, std::string_view kind,
                            boost::json::object /*fields*/) override {
    kinds.emplace_back(kind);
    co_return writable;
  }
  std::vector<std::string> kinds;
  bool writable = true;
};

class counted_logouts final : public logout_listener {
 public:
  awaitable<std::optional<std::string>> on_logout(const http::request_header<>& /*request*/,
                                                  const runtime& /*current*/) override {
    ++calls;
    co_return std::optional<std::string>("varco_draft=; Max-Age=0");
  }
  int calls = 0;
};

// The writable directory: the real in-memory store; reload() counts and reports success.
class memory_writer final : public directory_writer {
 public:
  directory::directory_store* store() noexcept override { return writable ? &store_ : nullptr; }
  awaitable<bool> reload() override {
    ++reloads;
    co_return true;
  }
  bool writable = true;
  int reloads = 0;

 private:
  directory::memory_directory store_;
};

// The runtime of the Area tests: area_fixture's products and directory, no SAML, plain HTTP.
inline std::shared_ptr<const runtime> area_runtime(
    std::shared_ptr<const directory::snapshot> directory = area_testing::area_directory()) {
  auto config = std::make_shared<conf::config>(area_testing::area_config());
  config->server.plain_http = true;
  runtime r;
  r.cookie_name = config->sessions.cookie_name();
  r.own_cookies = gateway_cookies(config->sessions);
  r.config = std::move(config);
  r.directory = std::move(directory);
  r.generation = 1;
  r.config_generation = 1;
  return std::make_shared<const runtime>(std::move(r));
}

// Every service an endpoint may be given, over the real in-memory stores.
struct services_fixture {
  explicit services_fixture(std::shared_ptr<const runtime> first = area_runtime())
      : runtime_source(std::move(first)),
        store(std::make_shared<session::memory_store>()),
        sessions(store, runtime_source.current()->config->sessions),
        login_state(std::make_shared<session::memory_login_state>()) {}

  // Runs `work` (a coroutine) to its end on this thread and returns what it returned.
  template <typename T>
  T run(awaitable<T> work) {
    auto done = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
    io.restart();
    io.run();
    return done.get();
  }

  // A live session for area_fixture's user; its cookie value.
  std::string sign_in(session::session who = area_testing::area_session()) {
    auto created = run(sessions.create(std::move(who)));
    if (!created) throw std::runtime_error("the memory store refused a session");
    return *created;
  }

  // The anti-CSRF token the store gave the session of `cookie` (create() makes a fresh one).
  std::string csrf_of(const std::string& cookie) {
    auto found = run(sessions.find_shared(cookie));
    if (!found || !*found) throw std::runtime_error("no live session for the cookie");
    return (*found)->csrf_token;
  }

  // A request as the request handler hands it over: path normalised, the client known.
  handler_result exchange_for(std::string_view path, bool json = false) const {
    handler_result result;
    result.notes.path = std::string(path);
    result.notes.request_id = "req-1";
    result.notes.client = "192.0.2.10";
    result.notes.json = json;
    return result;
  }

  http::request<http::string_body> request(http::verb method, std::string target,
                                           std::string cookie = {}, std::string body = {}) const {
    http::request<http::string_body> r{method, target, 11};
    r.set(http::field::host, "varco.example");
    if (!cookie.empty())
      r.set(http::field::cookie, runtime_source.value().cookie_name + "=" + cookie);
    if (!body.empty()) {
      r.set(http::field::content_type, "application/x-www-form-urlencoded");
      r.body() = std::move(body);
      r.prepare_payload();
    }
    return r;
  }

  boost::asio::io_context io;
  fixed_runtime runtime_source;
  std::shared_ptr<session::memory_store> store;
  session::session_service sessions;
  std::shared_ptr<session::memory_login_state> login_state;
  counted_rejections rejections;
  recorded_audit audit;
  counted_logouts logouts;
  memory_writer directory;
  crypto_pool crypto{1};  // the real pool (its own threads): the login endpoints' signatures
};

}  // namespace varco::gateway::endpoint_testing
