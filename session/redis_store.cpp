#include "session/redis_store.hpp"

#include "session/session_codec.hpp"

namespace varco::session {
namespace {

using std::chrono::milliseconds;

std::string millis(milliseconds d) { return std::to_string(std::max<long long>(1, d.count())); }

// A reply that is not the expected kind means the server is not what we think it is.
result<void> expect_ok(const result<redis::reply>& r) {
  if (!r) return r.error();
  if (r->is_error()) return store_errc::protocol;
  return {};
}

// Built outside the coroutines: GCC 12 miscompiles string literals in braced lists there.
using commands = std::vector<std::vector<std::string>>;
redis::command_batch load_commands(std::string_view k) {
  redis::command_batch batch;
  batch.add({"GET", k}).add({"PTTL", k});
  return batch;
}
commands save_commands(std::string k, std::string doc, milliseconds ttl, const std::string& channel,
                       const std::string& key) {
  return {{"SET", std::move(k), std::move(doc), "PX", millis(ttl)}, {"PUBLISH", channel, key}};
}
std::vector<std::string> insert_command(std::string k, std::string doc, milliseconds ttl) {
  return {"SET", std::move(k), std::move(doc), "PX", millis(ttl), "NX"};
}
commands remove_commands(std::string k, const std::string& channel, const std::string& key) {
  return {{"DEL", std::move(k)}, {"PUBLISH", channel, key}};
}
std::vector<std::string> touch_command(std::string k, milliseconds ttl) {
  return {"PEXPIRE", std::move(k), millis(ttl)};
}

}  // namespace

redis_store::redis_store(std::shared_ptr<redis::connection> connection, std::string key_prefix)
    : connection_(std::move(connection)),
      prefix_(std::move(key_prefix)),
      channel_(prefix_ + "revoked") {}

std::string redis_store::redis_key(std::string_view key) const {
  std::string k;
  k.reserve(prefix_.size() + 2 + key.size());
  k.append(prefix_).append("s:").append(key);
  return k;
}

boost::asio::awaitable<result<std::optional<stored_session>>> redis_store::load(std::string key) {
  const std::string k = redis_key(key);
  auto replies = co_await connection_->pipeline(load_commands(k));
  const auto& value = replies[0];
  const auto& pttl = replies[1];
  if (!value) co_return value.error();
  if (!pttl) co_return pttl.error();
  if (value->is_nil()) co_return std::optional<stored_session>{};
  if (value->type != redis::reply::kind::string || pttl->type != redis::reply::kind::integer) {
    co_return store_errc::protocol;
  }
  // -2: expired between the two commands; -1: no expiry (should not happen) → refresh soon.
  if (pttl->integer == -2) co_return std::optional<stored_session>{};
  auto decoded = decode_session(value->str, key);
  if (!decoded) co_return decoded.error();
  co_return stored_session{std::move(*decoded),
                           milliseconds{std::max<long long>(0, pttl->integer)}};
}

boost::asio::awaitable<result<void>> redis_store::save(session s, milliseconds ttl) {
  auto replies = co_await connection_->pipeline(
      save_commands(redis_key(s.key), encode_session(s), ttl, channel_, s.key));
  if (auto r = expect_ok(replies[0]); !r) co_return r;
  co_return expect_ok(replies[1]);
}

boost::asio::awaitable<result<void>> redis_store::insert(session s, milliseconds ttl) {
  auto reply =
      co_await connection_->command(insert_command(redis_key(s.key), encode_session(s), ttl));
  if (reply && reply->is_nil()) co_return store_errc::protocol;  // NX: the key was there
  co_return expect_ok(reply);
}

boost::asio::awaitable<result<void>> redis_store::touch(std::string key, milliseconds ttl) {
  auto reply = co_await connection_->command(touch_command(redis_key(key), ttl));
  co_return expect_ok(reply);
}

boost::asio::awaitable<result<void>> redis_store::remove(std::string key) {
  auto replies = co_await connection_->pipeline(remove_commands(redis_key(key), channel_, key));
  if (auto r = expect_ok(replies[0]); !r) co_return r;
  co_return expect_ok(replies[1]);
}

}  // namespace varco::session
