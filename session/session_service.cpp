#include "session/session_service.hpp"

#include "session/session_id.hpp"

#include <algorithm>

namespace varco::session {

using std::chrono::milliseconds;

session_service::session_service(std::shared_ptr<session_store> store, const conf::sessions& config,
                                 base::clock_function now)
    : store_(std::move(store)),
      config_(config),
      now_(std::move(now)),
      cache_(config.cache_ttl, config.cache_entries) {}

milliseconds session_service::ttl_from(const session& s, time_point now) const {
  const auto absolute_left = s.created_at + config_.absolute_timeout - now;
  return std::min(config_.idle_timeout, std::chrono::duration_cast<milliseconds>(absolute_left));
}

boost::asio::awaitable<result<std::optional<session>>> session_service::find(
    std::string_view cookie_id) {
  auto found = co_await find_shared(cookie_id);
  if (!found) co_return found.error();
  if (!*found) co_return std::optional<session>{};
  co_return std::optional<session>{**found};
}

std::optional<std::shared_ptr<const session>> session_service::find_cached(
    std::string_view cookie_id) {
  if (!looks_like_session_id(cookie_id)) return std::shared_ptr<const session>{};
  const time_point now = now_();
  auto cached = cache_.get(cookie_id, now);
  if (!cached) return std::nullopt;
  if (cached->created_at + config_.absolute_timeout > now) return cached;
  // Past its absolute timeout: the store removes it (find_shared, which finds it expired there).
  cache_.evict(cached->key);
  return std::nullopt;
}

boost::asio::awaitable<result<std::shared_ptr<const session>>> session_service::find_shared(
    std::string_view cookie_id) {
  if (auto decided = find_cached(cookie_id)) co_return std::move(*decided);
  co_return co_await find_in_store(cookie_id);
}

boost::asio::awaitable<result<std::shared_ptr<const session>>> session_service::find_in_store(
    std::string_view cookie_id) {
  using none = std::shared_ptr<const session>;
  if (!looks_like_session_id(cookie_id)) co_return none{};
  std::string key = session_key(cookie_id);
  const time_point now = now_();

  auto loaded = co_await store_->load(key);
  if (!loaded) co_return loaded.error();
  if (!*loaded) co_return none{};
  auto shared = std::make_shared<const session>(std::move((*loaded)->value));
  const milliseconds pttl = (*loaded)->ttl;

  const time_point deadline = shared->created_at + config_.absolute_timeout;
  if (deadline <= now) {
    auto removed = co_await store_->remove(key);
    if (!removed) co_return removed.error();
    co_return none{};
  }

  // The store's expiry is the last refresh + idle timeout, unless the refresh was capped by the
  // absolute deadline (then there is nothing left to extend). So the time since the last
  // refresh is idle_timeout - pttl, and no clock of the refresher is needed.
  const time_point expires_at = now + pttl;
  const bool capped = expires_at + config_.touch_interval >= deadline;
  if (!capped && config_.idle_timeout - pttl >= config_.touch_interval) {
    auto touched = co_await store_->touch(key, ttl_from(*shared, now));
    if (!touched) co_return touched.error();
  }
  cache_.put(cookie_id, shared, now);
  co_return shared;
}

boost::asio::awaitable<result<std::string>> session_service::create(session s) {
  std::string id = new_session_id();
  s.key = session_key(id);
  s.created_at = now_();
  s.csrf_token = new_csrf_token();
  const milliseconds ttl = std::min(config_.idle_timeout, config_.absolute_timeout);
  auto created = std::make_shared<const session>(s);
  auto saved = co_await store_->insert(std::move(s), ttl);
  if (!saved) co_return saved.error();
  // The browser asks for its first page right away, usually on the same connection, so on this
  // worker: it finds the session here instead of reading back what was just written.
  cache_.put(id, std::move(created), now_());
  co_return id;
}

boost::asio::awaitable<result<void>> session_service::update(session s) {
  const time_point now = now_();
  const std::string key = s.key;
  cache_.evict(key);
  const milliseconds ttl = ttl_from(s, now);
  if (ttl.count() <= 0) co_return co_await store_->remove(key);
  co_return co_await store_->save(std::move(s), ttl);
}

boost::asio::awaitable<result<void>> session_service::destroy(std::string_view key) {
  cache_.evict(key);
  co_return co_await store_->remove(std::string(key));
}

revocation_handler session_service::revocation_listener() {
  return [this](std::string_view key) {
    if (key.empty()) {
      cache_.clear();
    } else {
      cache_.evict(key);
    }
  };
}

}  // namespace varco::session
