// A worker's cache of recently seen sessions, so most requests skip the store.
//
// Looked up by the cookie value itself, so a hit costs no SHA-256 (the store key is the cookie's
// hash; computing it was the largest single cost of a cached request). Revocations and logouts
// name the store key, so entries are indexed by it too. Keeping the raw id here adds no exposure:
// the id is in this process's memory while each request is served anyway.
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

  // The session cached for this cookie value if fetched less than ttl before `now`; else nullptr
  // (and counts a miss).
  std::shared_ptr<const session> get(std::string_view cookie_id, time_point now);
  // Caches `s` (whose key is the store key of cookie_id), replacing any entry for either.
  void put(std::string_view cookie_id, std::shared_ptr<const session> s, time_point now);
  // Evicts by store key (what revocations carry).
  void evict(std::string_view key);
  void clear();

  std::size_t size() const noexcept { return by_key_.size(); }
  std::uint64_t hits() const noexcept { return hits_.load(std::memory_order_relaxed); }
  std::uint64_t misses() const noexcept { return misses_.load(std::memory_order_relaxed); }

 private:
  struct entry {
    std::shared_ptr<const session> value;
    std::string cookie_id;
    time_point fetched_at;
  };
  using lru_list = std::list<entry>;  // front = most recently used
  void erase(lru_list::iterator pos);

  std::chrono::milliseconds ttl_;
  std::size_t capacity_;
  lru_list lru_;
  // Both index views point into the list node they index (cookie_id, value->key).
  std::unordered_map<std::string_view, lru_list::iterator> by_cookie_;
  std::unordered_map<std::string_view, lru_list::iterator> by_key_;
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
};

}  // namespace varco::session
