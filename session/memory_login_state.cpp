#include "session/memory_login_state.hpp"

#include <algorithm>

namespace varco::session {

memory_login_state::memory_login_state(std::size_t max_entries) : max_entries_(max_entries) {}

memory_login_state::entry* memory_login_state::live(const std::string& key,
                                                    steady::time_point now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  if (it->second.expires <= now) {
    entries_.erase(it);
    return nullptr;
  }
  return &it->second;
}

bool memory_login_state::room_for_one_more(steady::time_point now) {
  if (++writes_since_sweep_ >= 1024 || entries_.size() >= max_entries_) {
    writes_since_sweep_ = 0;
    std::erase_if(entries_, [now](const auto& kv) { return kv.second.expires <= now; });
  }
  return entries_.size() < max_entries_;
}

boost::asio::awaitable<result<void>> memory_login_state::put(std::string key, std::string value,
                                                             std::chrono::milliseconds ttl) {
  std::lock_guard lock(mutex_);
  auto now = steady::now();
  if (live(key, now) == nullptr && !room_for_one_more(now)) {
    co_return make_error_code(store_errc::unavailable);
  }
  entries_[std::move(key)] = entry{std::move(value), {}, now + ttl};
  co_return result<void>{};
}

boost::asio::awaitable<result<std::optional<std::string>>> memory_login_state::peek(
    std::string key) {
  std::lock_guard lock(mutex_);
  auto* e = live(key, steady::now());
  if (e == nullptr) co_return std::optional<std::string>{};
  co_return std::optional<std::string>(e->value);
}

boost::asio::awaitable<result<std::optional<std::string>>> memory_login_state::take(
    std::string key) {
  std::lock_guard lock(mutex_);
  auto* e = live(key, steady::now());
  if (e == nullptr) co_return std::optional<std::string>{};
  std::optional<std::string> value(std::move(e->value));
  entries_.erase(key);
  co_return value;
}

boost::asio::awaitable<result<bool>> memory_login_state::claim_once(std::string key,
                                                                    std::chrono::milliseconds ttl) {
  std::lock_guard lock(mutex_);
  auto now = steady::now();
  if (live(key, now) != nullptr) co_return false;
  if (!room_for_one_more(now))
    co_return result<bool>(boost::system::in_place_error, make_error_code(store_errc::unavailable));
  entries_[std::move(key)] = entry{{}, {}, now + ttl};
  co_return true;
}

boost::asio::awaitable<result<void>> memory_login_state::index_add(std::string key,
                                                                   std::string member,
                                                                   std::chrono::milliseconds ttl) {
  std::lock_guard lock(mutex_);
  auto now = steady::now();
  auto* e = live(key, now);
  if (e == nullptr) {
    if (!room_for_one_more(now)) co_return make_error_code(store_errc::unavailable);
    e = &entries_[key];
  }
  e->members.insert(std::move(member));
  e->expires = std::max(e->expires, now + ttl);
  co_return result<void>{};
}

boost::asio::awaitable<result<std::vector<std::string>>> memory_login_state::index_take(
    std::string key) {
  std::lock_guard lock(mutex_);
  auto* e = live(key, steady::now());
  std::vector<std::string> members;
  if (e != nullptr) {
    members.assign(e->members.begin(), e->members.end());
    entries_.erase(key);
  }
  co_return members;
}

boost::asio::awaitable<result<void>> memory_login_state::index_remove(std::string key,
                                                                      std::string member) {
  std::lock_guard lock(mutex_);
  auto* e = live(key, steady::now());
  if (e != nullptr) {
    e->members.erase(member);
    // As Redis does with an empty set: the index goes, freeing its slot under max_entries.
    if (e->members.empty()) entries_.erase(key);
  }
  co_return result<void>{};
}

boost::asio::awaitable<result<std::uint64_t>> memory_login_state::count_hit(
    std::string key, std::chrono::milliseconds ttl) {
  std::lock_guard lock(mutex_);
  const auto now = steady::now();
  auto* e = live(key, now);
  if (e == nullptr) {
    if (!room_for_one_more(now))
      co_return result<std::uint64_t>(boost::system::in_place_error,
                                      make_error_code(store_errc::unavailable));
    e = &entries_[std::move(key)];
    e->expires = now + ttl;
  }
  co_return ++e->count;
}

}  // namespace varco::session
