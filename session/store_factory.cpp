#include "session/store_factory.hpp"

#include "session/redis_store.hpp"
#include "session/redis_subscriber.hpp"

#include <stdexcept>

namespace varco::session {

std::shared_ptr<session_store> make_session_store(const conf::config& config,
                                                  boost::asio::io_context& io,
                                                  std::shared_ptr<memory_store> shared_memory) {
  const auto& sessions = config.sessions;
  if (sessions.store == conf::store_kind::memory) {
    if (!shared_memory) throw std::invalid_argument("memory session store not created");
    return shared_memory;
  }
  auto connection = std::make_shared<redis_connection>(io.get_executor(), sessions.redis);
  return std::make_shared<redis_store>(std::move(connection), sessions.redis.key_prefix);
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
