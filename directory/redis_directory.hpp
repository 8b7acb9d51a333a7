// directory_store on Redis (`directory.backend: redis`), sharing the worker's redis::connection
// with the session store. One hash per record kind and a version counter, all under the hash tag
// `{dir}` so the MULTI/EXEC transactions stay on one slot (Redis Cluster):
//
//   <prefix>{dir}:parties      id → party JSON          (directory_codec.hpp)
//   <prefix>{dir}:people       fiscal number → person JSON
//   <prefix>{dir}:memberships  user|party|product → membership JSON
//   <prefix>{dir}:delegations  from|to|product → delegation JSON
//   <prefix>{dir}:joins        party|product → join request JSON
//   <prefix>{dir}:version      INCR on every write; absent until the first import
//
// Every write is one MULTI/EXEC that ends with INCR of the version, followed by a PUBLISH on
// changes_channel(prefix) so every instance reloads at once.
//
// Thread-safety: as its redis::connection (one per worker, used on that worker's thread).
#pragma once

#include "directory/directory_store.hpp"
#include "redis/connection.hpp"

#include <memory>

namespace varco::directory {

// The channel a write publishes on (payload: the new version, decimal).
std::string changes_channel(std::string_view key_prefix);

class redis_directory final : public directory_store {
 public:
  redis_directory(std::shared_ptr<redis::connection> connection, std::string key_prefix);

  boost::asio::awaitable<result<versioned_directory>> read() override;
  boost::asio::awaitable<result<std::uint64_t>> apply(
      std::vector<directory_change> changes) override;
  boost::asio::awaitable<result<bool>> replace(directory_data data, bool only_if_empty) override;

 private:
  std::string key(std::string_view table) const;
  // Runs MULTI … EXEC (+ PUBLISH); the EXEC reply's elements, or why it failed.
  boost::asio::awaitable<result<std::vector<redis::reply>>> transaction(
      std::vector<std::vector<std::string>> commands, bool publish);

  std::shared_ptr<redis::connection> connection_;
  std::string prefix_;
};

}  // namespace varco::directory
