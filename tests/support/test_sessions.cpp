#include "tests/support/test_sessions.hpp"

#include "base/clock.hpp"
#include "redis/connection.hpp"
#include "session/redis_store.hpp"
#include "session/session_id.hpp"
#include "session/session_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <future>
#include <memory>
#include <stdexcept>

namespace varco::test {

namespace {

template <class Awaitable>
auto run(boost::asio::io_context& io, Awaitable awaitable) {
  auto future = boost::asio::co_spawn(io, std::move(awaitable), boost::asio::use_future);
  while (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) io.run_one();
  return future.get();
}

conf::redis loopback_redis(std::uint16_t port, const std::string& key_prefix) {
  conf::redis redis;
  redis.host = "127.0.0.1";
  redis.port = port;
  redis.key_prefix = key_prefix;
  return redis;
}

// A Redis-backed session_service for one call.
struct redis_session_service {
  redis_session_service(const conf::redis& redis, std::chrono::milliseconds idle) {
    config.redis = redis;
    config.idle_timeout = idle;
    config.absolute_timeout = std::max<std::chrono::milliseconds>(idle, std::chrono::hours(8));
    config.cache_ttl = std::chrono::milliseconds(0);
    connection = std::make_shared<redis::connection>(io.get_executor(), config.redis);
    store = std::make_shared<session::redis_store>(connection, config.redis.key_prefix);
    service = std::make_unique<session::session_service>(store, config);
  }
  boost::asio::io_context io;
  conf::sessions config;
  std::shared_ptr<redis::connection> connection;
  std::shared_ptr<session::redis_store> store;
  std::unique_ptr<session::session_service> service;
};

}  // namespace

std::string create_session(std::uint16_t redis_port, const session_spec& spec) {
  return create_session(loopback_redis(redis_port, conf::redis{}.key_prefix), spec);
}

std::string create_session(const conf::redis& redis_config, const session_spec& spec) {
  redis_session_service redis(redis_config, spec.idle_timeout);
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
    auto id = run(redis.io, redis.service->create(std::move(s)));
    if (!id) throw std::runtime_error("cannot create a session: " + id.error().message());
    return *id;
  }
  // session_service::create always stamps "now"; an old session is stored as it would be found.
  std::string id = session::new_session_id();
  s.key = session::session_key(id);
  s.csrf_token = session::new_csrf_token();
  s.created_at = base::system_now() - spec.created_ago;
  auto saved = run(redis.io, redis.store->save(std::move(s), spec.idle_timeout));
  if (!saved) throw std::runtime_error("cannot store a session: " + saved.error().message());
  return id;
}

bool session_exists(std::uint16_t redis_port, const std::string& cookie_id) {
  redis_session_service redis(loopback_redis(redis_port, conf::redis{}.key_prefix),
                              std::chrono::minutes(30));
  auto loaded = run(redis.io, redis.store->load(session::session_key(cookie_id)));
  if (!loaded) throw std::runtime_error("cannot load a session: " + loaded.error().message());
  return loaded->has_value();
}

void delete_session(std::uint16_t redis_port, const std::string& cookie_id,
                    const std::string& key_prefix) {
  delete_session(loopback_redis(redis_port, key_prefix), cookie_id);
}

void delete_session(const conf::redis& redis_config, const std::string& cookie_id) {
  redis_session_service redis(redis_config, std::chrono::minutes(30));
  auto removed = run(redis.io, redis.service->destroy(session::session_key(cookie_id)));
  if (!removed) throw std::runtime_error("cannot delete a session: " + removed.error().message());
}

}  // namespace varco::test
