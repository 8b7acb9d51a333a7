#include "session/session_cache.hpp"

namespace varco::session {

session_cache::session_cache(std::chrono::milliseconds ttl, std::size_t capacity)
    : ttl_(ttl), capacity_(capacity) {}

std::shared_ptr<const session> session_cache::get(const std::string& key, time_point now) {
  if (!enabled()) return nullptr;
  auto it = index_.find(key);
  if (it == index_.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  if (now - it->second->fetched_at >= ttl_ || now < it->second->fetched_at) {
    lru_.erase(it->second);
    index_.erase(it);
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  hits_.fetch_add(1, std::memory_order_relaxed);
  return it->second->value;
}

void session_cache::put(std::shared_ptr<const session> s, time_point now) {
  if (!enabled() || !s) return;
  evict(s->key);
  lru_.push_front(entry{std::move(s), now});
  index_.emplace(lru_.front().value->key, lru_.begin());
  while (index_.size() > capacity_) {
    index_.erase(lru_.back().value->key);
    lru_.pop_back();
  }
}

void session_cache::evict(std::string_view key) {
  auto it = index_.find(key);
  if (it == index_.end()) return;
  auto pos = it->second;
  index_.erase(it);  // before the list node that owns the viewed string
  lru_.erase(pos);
}

void session_cache::clear() {
  index_.clear();
  lru_.clear();
}

}  // namespace varco::session
