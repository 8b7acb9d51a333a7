#include "session/store_factory.hpp"

#include "session/redis_login_state.hpp"
#include "session/redis_store.hpp"
#include "session/redis_subscriber.hpp"

#include <stdexcept>

namespace varco::session {

std::shared_ptr<redis::connection> make_store_connection(const conf::config& config,
                                                         boost::asio::io_context& io) {
  const auto& sessions = config.sessions;
  if (sessions.store == conf::store_kind::memory) return nullptr;
  return std::make_shared<redis::connection>(
      io.get_executor(), redis::with_client_name(sessions.redis, "varco:sessions"));
}

std::shared_ptr<session_store> make_session_store(const conf::config& config,
                                                  std::shared_ptr<redis::connection> connection,
                                                  std::shared_ptr<memory_store> shared_memory) {
  if (config.sessions.store == conf::store_kind::memory) {
    if (!shared_memory) throw std::invalid_argument("memory session store not created");
    return shared_memory;
  }
  if (!connection) throw std::invalid_argument("the redis session store needs a connection");
  return std::make_shared<redis_store>(std::move(connection), config.sessions.redis.key_prefix);
}

std::shared_ptr<login_state_store> make_login_state_store(
    const conf::config& config, std::shared_ptr<redis::connection> connection,
    std::shared_ptr<memory_login_state> shared_memory) {
  if (config.sessions.store == conf::store_kind::memory) {
    if (!shared_memory) throw std::invalid_argument("memory login state not created");
    return shared_memory;
  }
  if (!connection) throw std::invalid_argument("the redis login state needs a connection");
  return std::make_shared<redis_login_state>(std::move(connection),
                                             config.sessions.redis.key_prefix);
}

std::shared_ptr<void> subscribe_revocations(const conf::config& config, boost::asio::io_context& io,
                                            const std::shared_ptr<memory_store>& shared_memory,
                                            revocation_handler handler) {
  if (config.sessions.store == conf::store_kind::memory) {
    if (!shared_memory) throw std::invalid_argument("memory session store not created");
    return std::make_shared<memory_store::subscription>(
        shared_memory->subscribe(std::move(handler), io.get_executor()));
  }
  return std::make_shared<redis_subscriber>(io.get_executor(), config.sessions.redis,
                                            std::move(handler));
}

}  // namespace varco::session
