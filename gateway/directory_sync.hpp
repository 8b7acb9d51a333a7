// Keeps the running directory in step with the writable directory store (directory.backend memory
// or redis): seeds the store from the YAML file when it holds nothing yet, reads it whole, and
// swaps the snapshot into the runtime (runtime_holder::replace_directory). With Redis, a
// subscription to the changes channel reloads at once after a write on any instance, and again
// after every reconnect, since messages published while disconnected are lost.
//
// Runs on the control thread (server.cpp). A worker that wrote a change reloads by itself
// (reload_directory) so the writer's own next request already sees it.
#pragma once

#include "directory/directory_store.hpp"
#include "directory/memory_directory.hpp"
#include "gateway/http/asio_types.hpp"
#include "gateway/runtime.hpp"

#include <memory>

namespace varco::redis {
class connection;
}

namespace varco::gateway {

// Reads the store and publishes a newer directory. False when the store failed or held nothing
// yet (logged); true when the running directory is now at least the store's version.
awaitable<bool> reload_directory(directory::directory_store& store, runtime_holder& holder);

class directory_sync {
 public:
  directory_sync(asio::io_context& control, runtime_holder& holder,
                 std::shared_ptr<directory::memory_directory> memory);
  ~directory_sync();
  directory_sync(const directory_sync&) = delete;
  directory_sync& operator=(const directory_sync&) = delete;

  // memory: seeds and loads before returning (call before the workers serve). redis: starts the
  // seeding, the first load and the subscription on the control context; until Redis answers,
  // the file's directory serves.
  void start();

 private:
  awaitable<void> seed_and_load();
  void reload_soon();  // coalesces bursts of change notifications into one read at a time

  asio::io_context& control_;
  runtime_holder& holder_;
  std::shared_ptr<directory::memory_directory> memory_;
  std::shared_ptr<redis::connection> reader_;
  std::shared_ptr<redis::connection> subscriber_;
  std::shared_ptr<directory::directory_store> store_;
  std::shared_ptr<const directory::snapshot> seed_;  // the file's directory, for the first import
  bool reloading_ = false;
  bool reload_again_ = false;
};

}  // namespace varco::gateway
