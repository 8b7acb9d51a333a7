#include "directory/store_factory.hpp"

#include "directory/redis_directory.hpp"

#include <stdexcept>

namespace varco::directory {

std::shared_ptr<directory_store> make_directory_store(
    const conf::config& config, std::shared_ptr<redis::connection> connection,
    std::shared_ptr<memory_directory> shared_memory) {
  switch (config.directory.backend) {
    case conf::directory_backend::file:
      return nullptr;
    case conf::directory_backend::memory:
      if (!shared_memory) throw std::invalid_argument("memory directory not created");
      return shared_memory;
    case conf::directory_backend::redis:
      break;
  }
  if (!connection) throw std::invalid_argument("the redis directory needs the redis connection");
  return std::make_shared<redis_directory>(std::move(connection), config.sessions.redis.key_prefix);
}

}  // namespace varco::directory
