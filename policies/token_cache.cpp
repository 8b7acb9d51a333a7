#include "policies/token_cache.hpp"

#include <algorithm>
#include <chrono>

namespace varco::policies {

token_cache::token_cache(std::size_t max_entries)
    : max_entries_(std::max<std::size_t>(1, max_entries)) {}

token_cache::index_key token_cache::key_of(const token_key& k) {
  return {k.session_key, k.product, k.environment, k.party, k.directory_generation};
}

token_cache::index_key token_cache::key_of(const entry& e) {
  return {e.session_key, e.product, e.environment, e.party, e.generation};
}

bool token_cache::reusable(time_point issued_at, time_point expires_at, time_point now) {
  using namespace std::chrono_literals;
  const auto margin = std::max<time_point::duration>(60s, (expires_at - issued_at) / 5);
  return now < expires_at - margin;
}

void token_cache::erase(std::map<index_key, lru_list::iterator>::iterator it) {
  const auto node = it->second;
  index_.erase(it);  // first: the key views point into the node
  lru_.erase(node);
}

const std::string* token_cache::get(const token_key& key, time_point now) {
  auto it = index_.find(key_of(key));
  if (it == index_.end()) return nullptr;
  const entry& e = *it->second;
  if (!reusable(e.issued_at, e.expires_at, now)) {
    erase(it);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  return &it->second->token;
}

void token_cache::put(const token_key& key, std::string token, time_point issued_at,
                      time_point expires_at) {
  if (auto it = index_.find(key_of(key)); it != index_.end()) {
    entry& e = *it->second;
    e.token = std::move(token);
    e.issued_at = issued_at;
    e.expires_at = expires_at;
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  while (index_.size() >= max_entries_) erase(index_.find(key_of(lru_.back())));
  lru_.push_front(entry{std::string(key.session_key), std::string(key.product),
                        std::string(key.environment), std::string(key.party),
                        key.directory_generation, std::move(token), issued_at, expires_at});
  index_.emplace(key_of(lru_.front()), lru_.begin());
}

void token_cache::evict_session(std::string_view session_key) {
  auto it = index_.lower_bound(index_key{session_key, {}, {}, {}, 0});
  while (it != index_.end() && std::get<0>(it->first) == session_key) {
    const auto next = std::next(it);
    erase(it);
    it = next;
  }
}

}  // namespace varco::policies
