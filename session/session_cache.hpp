// A worker's cache of recently seen sessions, so most requests skip the store.
//
// An entry is served for at most `ttl` after it was fetched (0 disables the cache); revocations
// (redis_subscriber / memory_store::subscribe) evict earlier. Bounded to `capacity` entries,
// least recently used evicted first.
//
// Thread-safety: none, by design: one instance per worker thread. The counters alone are atomic
// so /metrics may read them from elsewhere.
#pragma once

#include "session/session.hpp"

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace varco::session {

class session_cache {
 public:
  session_cache(std::chrono::milliseconds ttl, std::size_t capacity);

  bool enabled() const noexcept { return ttl_.count() > 0 && capacity_ > 0; }

  // The cached session if fetched less than ttl before `now`; else nullptr (and counts a miss).
  std::shared_ptr<const session> get(const std::string& key, time_point now);
  void put(std::shared_ptr<const session> s, time_point now);
  void evict(std::string_view key);
  void clear();

  std::size_t size() const noexcept { return index_.size(); }
  std::uint64_t hits() const noexcept { return hits_.load(std::memory_order_relaxed); }
  std::uint64_t misses() const noexcept { return misses_.load(std::memory_order_relaxed); }

 private:
  struct entry {
    std::shared_ptr<const session> value;
    time_point fetched_at;
  };
  using lru_list = std::list<entry>;  // front = most recently used

  std::chrono::milliseconds ttl_;
  std::size_t capacity_;
  lru_list lru_;
  std::unordered_map<std::string_view, lru_list::iterator> index_;  // views into value->key
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
};

}  // namespace varco::session
