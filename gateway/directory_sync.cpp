#include "gateway/directory_sync.hpp"

#include "directory/redis_directory.hpp"
#include "redis/connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

namespace varco::gateway {

awaitable<bool> reload_directory(directory::directory_store& store, runtime_holder& holder) {
  auto read = co_await store.read();
  if (!read) {
    spdlog::warn(
        "directory: cannot read the store: {}; the running directory stays "
        "(reason=directory_unavailable)",
        read.error().message());
    co_return false;
  }
  if (!read->data) co_return false;  // nothing imported yet (or an import is being written)
  if (read->unreadable_records > 0) {
    spdlog::error(
        "directory: {} records in the store could not be decoded and were left out "
        "(reason=directory_record_invalid)",
        read->unreadable_records);
  }
  const std::uint64_t version = read->version;
  auto next = std::make_shared<const directory::snapshot>(std::move(*read->data), version);
  if (holder.replace_directory(std::move(next), version))
    spdlog::info("directory: version {} loaded", version);
  co_return true;
}

directory_sync::directory_sync(asio::io_context& control, runtime_holder& holder,
                               std::shared_ptr<directory::memory_directory> memory)
    : control_(control), holder_(holder), memory_(std::move(memory)) {}

directory_sync::~directory_sync() = default;

void directory_sync::start() {
  auto current = holder_.current();
  const conf::config& config = *current->config;
  seed_ = current->directory;
  switch (config.directory.backend) {
    case conf::directory_backend::file:
      return;
    case conf::directory_backend::memory: {
      store_ = memory_;
      // The memory store never suspends: run the coroutine to its end right here.
      asio::io_context once;
      asio::co_spawn(once, seed_and_load(), asio::detached);
      once.run();
      return;
    }
    case conf::directory_backend::redis:
      break;
  }
  reader_ = std::make_shared<redis::connection>(
      control_.get_executor(), redis::with_client_name(config.sessions.redis, "varco:directory"));
  store_ = std::make_shared<directory::redis_directory>(reader_, config.sessions.redis.key_prefix);
  subscriber_ = std::make_shared<redis::connection>(
      control_.get_executor(),
      redis::with_client_name(config.sessions.redis, "varco:directory-changes"));
  subscriber_->subscribe(
      directory::changes_channel(config.sessions.redis.key_prefix),
      [this](std::string_view) { reload_soon(); },
      [this] { asio::co_spawn(control_, seed_and_load(), asio::detached); });
}

awaitable<void> directory_sync::seed_and_load() {
  if (seed_) {
    auto seeded = co_await store_->replace(seed_->data(), /*only_if_empty=*/true);
    if (!seeded) {
      spdlog::warn("directory: cannot seed the store: {} (reason=directory_unavailable)",
                   seeded.error().message());
    } else if (*seeded) {
      spdlog::info("directory: the store was empty; seeded it from {}",
                   holder_.current()->config->directory.file);
    }
  }
  co_await reload_directory(*store_, holder_);
}

void directory_sync::reload_soon() {
  if (reloading_) {
    reload_again_ = true;
    return;
  }
  reloading_ = true;
  asio::co_spawn(
      control_,
      [this]() -> awaitable<void> {
        do {
          reload_again_ = false;
          co_await reload_directory(*store_, holder_);
        } while (reload_again_);
        reloading_ = false;
      },
      asio::detached);
}

}  // namespace varco::gateway
