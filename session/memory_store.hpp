// The in-memory session store: one instance shared by every worker of a single varco process.
//
// Thread-safety: every member may be called from any thread (one mutex). The awaitables finish
// without suspending. Expiry is checked lazily on access plus an occasional full sweep on writes;
// at most `max_entries` sessions are held (when full, the one closest to expiry is dropped).
#pragma once

#include "session/session_store.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace varco::session {

class memory_store final : public session_store {
 public:
  explicit memory_store(std::size_t max_entries = 1'000'000);

  // Keeps a worker's cache told of saves and removes while alive. Destroy it on the thread of the
  // executor it was made with (the handler is never called after that).
  class subscription {
   public:
    struct entry;
    subscription() = default;
    subscription(memory_store* store, std::shared_ptr<entry> e);
    subscription(subscription&&) noexcept = default;
    subscription& operator=(subscription&& other) noexcept {
      std::swap(store_, other.store_);  // our old entry, if any, ends with `other`
      std::swap(entry_, other.entry_);
      return *this;
    }
    ~subscription();

   private:
    memory_store* store_ = nullptr;
    std::shared_ptr<entry> entry_;
  };

  // The handler is posted to `executor` (never run inline) with the key of each changed session.
  [[nodiscard]] subscription subscribe(revocation_handler handler,
                                       boost::asio::any_io_executor executor);

  boost::asio::awaitable<result<std::optional<stored_session>>> load(std::string key) override;
  boost::asio::awaitable<result<void>> save(session s, std::chrono::milliseconds ttl) override;
  boost::asio::awaitable<result<void>> insert(session s, std::chrono::milliseconds ttl) override;
  boost::asio::awaitable<result<void>> touch(std::string key,
                                             std::chrono::milliseconds ttl) override;
  boost::asio::awaitable<result<void>> remove(std::string key) override;
  bool healthy() const override { return true; }

  std::size_t size() const;

 private:
  using steady = std::chrono::steady_clock;
  struct item {
    session value;
    steady::time_point expires_at;
  };

  void notify(const std::string& key);
  // Stores or replaces; evicts the session nearest its end when full. Caller holds mutex_.
  void put_locked(session s, steady::time_point now, std::chrono::milliseconds ttl);
  void sweep_locked(steady::time_point now);
  void unsubscribe(const std::shared_ptr<subscription::entry>& e);

  const std::size_t max_entries_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, item> items_;
  std::size_t writes_since_sweep_ = 0;
  std::vector<std::shared_ptr<subscription::entry>> subscribers_;
};

}  // namespace varco::session
