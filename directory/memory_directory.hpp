// directory_store in process memory: one instance shared by the workers of a single gateway
// (`directory.backend: memory`). Writes live until the process ends; the YAML file seeds it at
// start. Several instances each keep their own, so use the Redis backend to share one.
//
// Thread-safety: any member from any thread (one mutex); the awaitables finish without suspending.
#pragma once

#include "directory/directory_store.hpp"

#include <map>
#include <mutex>

namespace varco::directory {

class memory_directory final : public directory_store {
 public:
  boost::asio::awaitable<result<versioned_directory>> read() override;
  boost::asio::awaitable<result<std::uint64_t>> apply(
      std::vector<directory_change> changes) override;
  boost::asio::awaitable<result<bool>> replace(directory_data data, bool only_if_empty) override;

 private:
  // Records by their record_key, so a put replaces and a remove finds them.
  struct tables {
    std::vector<party> parties;
    std::vector<delegation> delegations;
    std::map<std::string, person> people;
    std::map<std::string, membership> memberships;
    std::map<std::string, join_request> join_requests;
  };

  std::mutex mutex_;
  tables tables_;
  std::uint64_t version_ = 0;
};

}  // namespace varco::directory
