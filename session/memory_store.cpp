#include "session/memory_store.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace varco::session {

// Shared between the store (which posts to it) and the subscription (which disables it); the
// flag is only read and written on the subscriber's executor.
struct memory_store::subscription::entry {
  revocation_handler handler;
  boost::asio::any_io_executor executor;
  bool active = true;
};

namespace {
constexpr std::size_t sweep_every_writes = 4096;
}

memory_store::memory_store(std::size_t max_entries)
    : max_entries_(std::max<std::size_t>(1, max_entries)) {}

memory_store::subscription::subscription(memory_store* store, std::shared_ptr<entry> e)
    : store_(store), entry_(std::move(e)) {}

memory_store::subscription::~subscription() {
  if (entry_) {
    entry_->active = false;
    store_->unsubscribe(entry_);
  }
}

memory_store::subscription memory_store::subscribe(revocation_handler handler,
                                                   boost::asio::any_io_executor executor) {
  auto e = std::make_shared<subscription::entry>();
  e->handler = std::move(handler);
  e->executor = std::move(executor);
  std::lock_guard lock(mutex_);
  subscribers_.push_back(e);
  return subscription(this, std::move(e));
}

void memory_store::unsubscribe(const std::shared_ptr<subscription::entry>& e) {
  std::lock_guard lock(mutex_);
  std::erase(subscribers_, e);
}

void memory_store::notify(const std::string& key) {
  std::vector<std::shared_ptr<subscription::entry>> targets;
  {
    std::lock_guard lock(mutex_);
    targets = subscribers_;
  }
  for (auto& e : targets) {
    boost::asio::post(e->executor, [e, key] {
      if (e->active) e->handler(key);
    });
  }
}

void memory_store::sweep_locked(steady::time_point now) {
  std::erase_if(items_, [now](const auto& kv) { return kv.second.expires_at <= now; });
  writes_since_sweep_ = 0;
}

boost::asio::awaitable<result<std::optional<stored_session>>> memory_store::load(std::string key) {
  const auto now = steady::now();
  std::lock_guard lock(mutex_);
  auto it = items_.find(key);
  if (it == items_.end()) co_return std::optional<stored_session>{};
  if (it->second.expires_at <= now) {
    items_.erase(it);
    co_return std::optional<stored_session>{};
  }
  co_return stored_session{it->second.value, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 it->second.expires_at - now)};
}

boost::asio::awaitable<result<void>> memory_store::insert(session s,
                                                          std::chrono::milliseconds ttl) {
  const auto now = steady::now();
  std::lock_guard lock(mutex_);
  if (auto it = items_.find(s.key); it != items_.end() && it->second.expires_at > now)
    co_return store_errc::protocol;
  put_locked(std::move(s), now, ttl);
  co_return result<void>{};
}

boost::asio::awaitable<result<void>> memory_store::save(session s, std::chrono::milliseconds ttl) {
  const auto now = steady::now();
  const std::string key = s.key;
  {
    std::lock_guard lock(mutex_);
    put_locked(std::move(s), now, ttl);
  }
  notify(key);
  co_return result<void>{};
}

void memory_store::put_locked(session s, steady::time_point now, std::chrono::milliseconds ttl) {
  if (++writes_since_sweep_ >= sweep_every_writes) sweep_locked(now);
  auto it = items_.find(s.key);
  if (it == items_.end() && items_.size() >= max_entries_) {
    sweep_locked(now);
    if (items_.size() >= max_entries_) {
      // Rare (a flood of logins): linear scan for the session nearest its end.
      auto victim = std::min_element(
          items_.begin(), items_.end(),
          [](const auto& a, const auto& b) { return a.second.expires_at < b.second.expires_at; });
      items_.erase(victim);
    }
  }
  std::string key = s.key;
  items_.insert_or_assign(std::move(key), item{std::move(s), now + ttl});
}

boost::asio::awaitable<result<void>> memory_store::touch(std::string key,
                                                         std::chrono::milliseconds ttl) {
  const auto now = steady::now();
  std::lock_guard lock(mutex_);
  auto it = items_.find(key);
  if (it != items_.end()) {
    if (it->second.expires_at <= now) {
      items_.erase(it);
    } else {
      it->second.expires_at = now + ttl;
    }
  }
  co_return result<void>{};
}

boost::asio::awaitable<result<void>> memory_store::remove(std::string key) {
  {
    std::lock_guard lock(mutex_);
    items_.erase(key);
  }
  notify(key);
  co_return result<void>{};
}

std::size_t memory_store::size() const {
  std::lock_guard lock(mutex_);
  return items_.size();
}

}  // namespace varco::session
