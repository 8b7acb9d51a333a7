// Sessions for the system tests, written through the session store API like the SPID login will.
#include "base/clock.hpp"
#include "session/redis_connection.hpp"
#include "session/redis_store.hpp"
#include "session/session_id.hpp"
#include "session/session_service.hpp"
#include "tests/system/harness.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <future>
#include <stdexcept>

namespace varco::system_test {

namespace {

template <class Awaitable>
auto run(boost::asio::io_context& io, Awaitable awaitable) {
  auto future = boost::asio::co_spawn(io, std::move(awaitable), boost::asio::use_future);
  while (future.wait_for(0s) != std::future_status::ready) io.run_one();
  return future.get();
}

struct store_handle {
  explicit store_handle(std::uint16_t port)
      : store_handle([port] {
          conf::redis redis;
          redis.port = port;
          return redis;
        }()) {}
  explicit store_handle(const conf::redis& redis) {
    config.redis = redis;
    config.idle_timeout = 30min;
    config.absolute_timeout = 8h;
    connection = std::make_shared<session::redis_connection>(io.get_executor(), config.redis);
    store = std::make_shared<session::redis_store>(connection, config.redis.key_prefix);
  }
  boost::asio::io_context io;
  conf::sessions config;
  std::shared_ptr<session::redis_connection> connection;
  std::shared_ptr<session::redis_store> store;
};

}  // namespace

std::string create_session(std::uint16_t redis_port, const session_spec& spec) {
  conf::redis redis;
  redis.port = redis_port;
  return create_session(redis, spec);
}

void delete_session(std::uint16_t redis_port, const std::string& cookie_id) {
  conf::redis redis;
  redis.port = redis_port;
  delete_session(redis, cookie_id);
}

std::string create_session(const conf::redis& redis, const session_spec& spec) {
  store_handle handle(redis);
  session::session s;
  s.attributes = {{"fiscalNumber", spec.fiscal_number},
                  {"name", spec.name},
                  {"familyName", spec.family_name},
                  {"email", spec.email}};
  s.provider = "spid";
  s.level = 2;
  s.selected_party = spec.party;
  s.environments = spec.environments;
  if (spec.created_ago.count() == 0) {
    handle.config.idle_timeout = spec.ttl;
    session::session_service service(handle.store, handle.config);
    auto id = run(handle.io, service.create(std::move(s)));
    if (!id) throw std::runtime_error("cannot create a session: " + id.error().message());
    return *id;
  }
  // An old session: created_at in the past, still alive in the store.
  std::string id = session::new_session_id();
  s.key = session::session_key(id);
  s.csrf_token = session::new_csrf_token();
  s.created_at = base::system_now() - spec.created_ago;
  auto saved = run(handle.io, handle.store->save(std::move(s), spec.ttl));
  if (!saved) throw std::runtime_error("cannot store a session: " + saved.error().message());
  return id;
}

void delete_session(const conf::redis& redis, const std::string& cookie_id) {
  store_handle handle(redis);
  auto removed = run(handle.io, handle.store->remove(session::session_key(cookie_id)));
  if (!removed) throw std::runtime_error("cannot delete a session: " + removed.error().message());
}

}  // namespace varco::system_test
