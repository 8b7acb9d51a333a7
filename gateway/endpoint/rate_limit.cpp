#include "gateway/endpoint/rate_limit.hpp"

#include <algorithm>

namespace varco::gateway {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

std::int64_t window_index(const conf::rate_limit& limit,
                          std::chrono::system_clock::time_point now) {
  const auto window_ms =
      std::max<std::int64_t>(1, duration_cast<milliseconds>(limit.window).count());
  return duration_cast<milliseconds>(now.time_since_epoch()).count() / window_ms;
}

}  // namespace

std::string rate_key(std::string_view scope, std::string_view subject,
                     const conf::rate_limit& limit, std::chrono::system_clock::time_point now) {
  std::string key = "rl:";
  key.append(scope);
  key.push_back(':');
  // Subjects are client addresses and configured IdP entity IDs; the cap only bounds the key.
  key.append(subject.substr(0, 512));
  key.push_back(':');
  key.append(std::to_string(window_index(limit, now)));
  return key;
}

awaitable<rate_check> check_rate_limit(session::login_state_store& store, std::string_view scope,
                                       std::string_view subject, const conf::rate_limit& limit) {
  rate_check check;
  if (!limit.enabled()) co_return check;
  const auto now = std::chrono::system_clock::now();
  const auto window = duration_cast<milliseconds>(limit.window);
  auto count = co_await store.count_hit(rate_key(scope, subject, limit, now), window);
  if (!count) {
    check.outcome = rate_check::verdict::store_failed;
    co_return check;
  }
  if (*count <= limit.requests) co_return check;
  check.outcome = rate_check::verdict::limited;
  const auto window_end = milliseconds((window_index(limit, now) + 1) * window.count());
  const auto left = window_end - duration_cast<milliseconds>(now.time_since_epoch());
  // Whole seconds, rounded up, at least one: a client waiting that long finds a new window.
  check.retry_after = std::max<std::chrono::seconds>(std::chrono::seconds(1),
                                                     std::chrono::ceil<std::chrono::seconds>(left));
  co_return check;
}

}  // namespace varco::gateway
