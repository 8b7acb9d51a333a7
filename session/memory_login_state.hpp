// login_state_store in process memory, for the single-instance (memory session store) setup.
//
// Thread-safety: any member from any thread (one mutex); the awaitables finish without
// suspending. Expired entries are dropped on access and by an occasional sweep on writes; at most
// `max_entries` keys are held, after which writes fail with store_errc::unavailable rather than
// grow without bound (a flood of unfinished logins must not exhaust memory).
#pragma once

#include "session/login_state_store.hpp"

#include <mutex>
#include <set>
#include <unordered_map>

namespace varco::session {

class memory_login_state final : public login_state_store {
 public:
  explicit memory_login_state(std::size_t max_entries = 200'000);

  boost::asio::awaitable<result<void>> put(std::string key, std::string value,
                                           std::chrono::milliseconds ttl) override;
  boost::asio::awaitable<result<std::optional<std::string>>> peek(std::string key) override;
  boost::asio::awaitable<result<std::optional<std::string>>> take(std::string key) override;
  boost::asio::awaitable<result<bool>> claim_once(std::string key,
                                                  std::chrono::milliseconds ttl) override;
  boost::asio::awaitable<result<void>> index_add(std::string key, std::string member,
                                                 std::chrono::milliseconds ttl) override;
  boost::asio::awaitable<result<std::vector<std::string>>> index_take(std::string key) override;
  boost::asio::awaitable<result<void>> index_remove(std::string key, std::string member) override;
  boost::asio::awaitable<result<std::uint64_t>> count_hit(std::string key,
                                                          std::chrono::milliseconds ttl) override;

 private:
  using steady = std::chrono::steady_clock;
  struct entry {
    std::string value;
    std::set<std::string> members;
    steady::time_point expires;
    std::uint64_t count = 0;  // count_hit's counter
  };
  // Finds a live entry (erasing it when expired); caller holds the mutex.
  entry* live(const std::string& key, steady::time_point now);
  bool room_for_one_more(steady::time_point now);

  std::mutex mutex_;
  std::unordered_map<std::string, entry> entries_;
  std::size_t max_entries_;
  std::size_t writes_since_sweep_ = 0;
};

}  // namespace varco::session
