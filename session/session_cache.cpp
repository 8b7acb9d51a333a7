#include "session/session_cache.hpp"

namespace varco::session {

session_cache::session_cache(std::chrono::milliseconds ttl, std::size_t capacity)
    : ttl_(ttl), capacity_(capacity) {}

std::shared_ptr<const session> session_cache::get(std::string_view cookie_id, time_point now) {
  if (!enabled()) return nullptr;
  auto it = by_cookie_.find(cookie_id);
  if (it == by_cookie_.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  const auto pos = it->second;
  if (now - pos->fetched_at >= ttl_ || now < pos->fetched_at) {
    erase(pos);
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, pos);
  hits_.fetch_add(1, std::memory_order_relaxed);
  return pos->value;
}

void session_cache::put(std::string_view cookie_id, std::shared_ptr<const session> s,
                        time_point now) {
  if (!enabled() || !s) return;
  evict(s->key);
  if (auto same_cookie = by_cookie_.find(cookie_id); same_cookie != by_cookie_.end())
    erase(same_cookie->second);
  lru_.push_front(entry{std::move(s), std::string(cookie_id), now});
  by_cookie_.emplace(lru_.front().cookie_id, lru_.begin());
  by_key_.emplace(lru_.front().value->key, lru_.begin());
  while (by_key_.size() > capacity_) erase(std::prev(lru_.end()));
}

void session_cache::evict(std::string_view key) {
  auto it = by_key_.find(key);
  if (it != by_key_.end()) erase(it->second);
}

void session_cache::erase(lru_list::iterator pos) {
  // The indexes first: their keys view strings owned by the node.
  by_cookie_.erase(pos->cookie_id);
  by_key_.erase(pos->value->key);
  lru_.erase(pos);
}

void session_cache::clear() {
  by_cookie_.clear();
  by_key_.clear();
  lru_.clear();
}

}  // namespace varco::session
