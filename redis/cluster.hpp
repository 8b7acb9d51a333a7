// Redis Cluster routing for redis::connection (sessions.redis.cluster): one connection per node,
// each command sent to the node that owns its key's slot.
//
// The slot map comes from CLUSTER SLOTS, asked of the known nodes and the configured seeds. A
// MOVED reply updates the map and the command is sent again to the named node; ASK sends it
// once to the importing node after ASKING. A MULTI…EXEC block goes whole to the node of its
// first key, so its keys must share a slot (varco's do, through hash tags). Keyless commands
// (PUBLISH) go with their neighbours. When a node stops answering, the map is read again (at
// most every refresh_interval) so a cluster failover is followed.
//
// Thread-safety: as redis::connection (the worker's thread), except healthy() and stats().
#pragma once

#include "conf/config.hpp"
#include "redis/connection.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/result.hpp>

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace varco::redis {

class cluster : public std::enable_shared_from_this<cluster> {
 public:
  cluster(boost::asio::any_io_executor executor, conf::redis config);
  cluster(const cluster&) = delete;
  cluster& operator=(const cluster&) = delete;
  ~cluster();

  boost::asio::awaitable<std::vector<boost::system::result<reply>>> pipeline(
      std::vector<std::vector<std::string>> commands);

  // Reads the slot map now, then again whenever a slot has no reachable owner (so readiness and
  // failover are followed without traffic). stop() ends it; the destructor of the owning
  // connection calls it.
  void start();
  void stop();

  // Every slot has an owner and the connection to each owner is up.
  bool healthy() const noexcept;
  const connection_stats& stats() const noexcept { return stats_; }

 private:
  using node_index = std::uint16_t;
  static constexpr node_index no_node = 0xffff;

  node_index node_for(const conf::redis_address& address);
  boost::asio::awaitable<bool> refresh_slots();
  void refresh_in_background();
  boost::asio::awaitable<void> watch();
  // Sends the commands at `indices` to one node and stores their results.
  boost::asio::awaitable<void> send_group(node_index node,
                                          const std::vector<std::vector<std::string>>& commands,
                                          const std::vector<std::size_t>& indices,
                                          std::vector<boost::system::result<reply>>& results);
  void publish_health_view();

  boost::asio::any_io_executor executor_;
  conf::redis config_;  // the seeds and the per-node connection settings
  connection_stats stats_;
  std::vector<conf::redis_address> node_addresses_;
  std::vector<std::shared_ptr<connection>> nodes_;
  std::array<node_index, 16384> slot_owner_{};
  bool slots_loaded_ = false;
  bool refreshing_ = false;
  bool stopped_ = false;
  boost::asio::steady_timer watch_timer_;
  std::chrono::steady_clock::time_point last_refresh_{};

  // What healthy() reads from other threads: the owners' connections, copied after each refresh.
  mutable std::mutex health_mutex_;
  std::vector<std::shared_ptr<connection>> owners_view_;
  bool complete_view_ = false;
};

}  // namespace varco::redis
