#include "session/redis_login_state.hpp"

#include "redis/command_batch.hpp"

namespace varco::session {
namespace {

using reply_result = boost::system::result<redis::reply>;

std::string millis(std::chrono::milliseconds ttl) {
  // Redis refuses PX 0; a zero TTL means "already expired", so keep it minimal instead.
  return std::to_string(std::max<std::int64_t>(1, ttl.count()));
}

// One round trip. GT keeps the longer of the two lifetimes when several sessions share the index;
// it does nothing to a key without a TTL (just created), which NX then sets, and NX does nothing
// to a key that has one. Built outside the coroutine: GCC 12 miscompiles string literals in braced
// lists there.
redis::command_batch index_add_commands(std::string_view k, std::string_view member,
                                        std::chrono::milliseconds ttl) {
  const std::string px = millis(ttl);
  redis::command_batch batch;
  batch.add({"SADD", k, member}).add({"PEXPIRE", k, px, "GT"}).add({"PEXPIRE", k, px, "NX"});
  return batch;
}

result<void> expect_ok(const reply_result& r) {
  if (!r) return r.error();
  if (r->is_error()) return make_error_code(store_errc::protocol);
  return {};
}

}  // namespace

redis_login_state::redis_login_state(std::shared_ptr<redis::connection> connection,
                                     std::string key_prefix)
    : connection_(std::move(connection)), prefix_(std::move(key_prefix)) {}

boost::asio::awaitable<result<void>> redis_login_state::put(std::string key, std::string value,
                                                            std::chrono::milliseconds ttl) {
  std::vector<std::string> args;
  args.reserve(5);
  args.emplace_back("SET");
  args.push_back(prefix_ + key);
  args.push_back(std::move(value));
  args.emplace_back("PX");
  args.push_back(millis(ttl));
  co_return expect_ok(co_await connection_->command(std::move(args)));
}

boost::asio::awaitable<result<std::optional<std::string>>> redis_login_state::peek(
    std::string key) {
  co_return co_await string_or_nil("GET", std::move(key));
}

boost::asio::awaitable<result<std::optional<std::string>>> redis_login_state::take(
    std::string key) {
  co_return co_await string_or_nil("GETDEL", std::move(key));
}

boost::asio::awaitable<result<std::optional<std::string>>> redis_login_state::string_or_nil(
    std::string_view command, std::string key) {
  std::vector<std::string> args;
  args.emplace_back(command);
  args.push_back(prefix_ + key);
  auto r = co_await connection_->command(std::move(args));
  if (!r) co_return r.error();
  if (r->is_nil()) co_return std::optional<std::string>{};
  if (r->type != redis::reply::kind::string) co_return make_error_code(store_errc::protocol);
  co_return std::optional<std::string>(std::move(r->str));
}

boost::asio::awaitable<result<bool>> redis_login_state::claim_once(std::string key,
                                                                   std::chrono::milliseconds ttl) {
  std::vector<std::string> args;
  args.emplace_back("SET");
  args.push_back(prefix_ + key);
  args.emplace_back("1");
  args.emplace_back("NX");
  args.emplace_back("PX");
  args.push_back(millis(ttl));
  auto r = co_await connection_->command(std::move(args));
  if (!r) co_return result<bool>(boost::system::in_place_error, r.error());
  if (r->is_nil()) co_return false;  // already there: a replay
  if (r->is_status("OK")) co_return true;
  co_return result<bool>(boost::system::in_place_error, make_error_code(store_errc::protocol));
}

boost::asio::awaitable<result<void>> redis_login_state::index_add(std::string key,
                                                                  std::string member,
                                                                  std::chrono::milliseconds ttl) {
  auto replies = co_await connection_->pipeline(index_add_commands(prefix_ + key, member, ttl));
  for (const auto& reply : replies) {
    if (auto r = expect_ok(reply); !r) co_return r;
  }
  co_return result<void>{};
}

boost::asio::awaitable<result<std::vector<std::string>>> redis_login_state::index_take(
    std::string key) {
  // Not atomic (SMEMBERS then DEL): NameIDs are transient, one per login, so no session can be
  // added to an index between the two.
  std::string k = prefix_ + key;
  std::vector<std::vector<std::string>> commands(2);
  commands[0].emplace_back("SMEMBERS");
  commands[0].push_back(k);
  commands[1].emplace_back("DEL");
  commands[1].push_back(k);
  auto replies = co_await connection_->pipeline(std::move(commands));
  if (!replies[0]) co_return replies[0].error();
  if (replies[0]->type != redis::reply::kind::array)
    co_return make_error_code(store_errc::protocol);
  std::vector<std::string> members;
  for (auto& e : replies[0]->elements) members.push_back(std::move(e.str));
  if (auto r = expect_ok(replies[1]); !r) co_return r.error();
  co_return members;
}

boost::asio::awaitable<result<void>> redis_login_state::index_remove(std::string key,
                                                                     std::string member) {
  // SREM deletes the key itself when the set is left empty: no separate clean-up step.
  std::vector<std::string> args;
  args.reserve(3);
  args.emplace_back("SREM");
  args.push_back(prefix_ + key);
  args.push_back(std::move(member));
  auto r = co_await connection_->command(std::move(args));
  if (!r) co_return r.error();
  // An integer (members removed, 0 when there was none); anything else is a wrong-type key.
  if (r->type != redis::reply::kind::integer) co_return make_error_code(store_errc::protocol);
  co_return result<void>{};
}

boost::asio::awaitable<result<std::uint64_t>> redis_login_state::count_hit(
    std::string key, std::chrono::milliseconds ttl) {
  // INCR and, for the first hit, the expiry, in one atomic step (one key: Cluster-safe). Without
  // the script a crash between INCR and PEXPIRE would leave a counter that never expires.
  std::vector<std::string> args;
  args.emplace_back("EVAL");
  args.emplace_back(
      "local n = redis.call('INCR', KEYS[1]) "
      "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n");
  args.emplace_back("1");
  args.push_back(prefix_ + key);
  args.push_back(millis(ttl));
  auto r = co_await connection_->command(std::move(args));
  if (!r) co_return result<std::uint64_t>(boost::system::in_place_error, r.error());
  if (r->type != redis::reply::kind::integer || r->integer < 1)
    co_return result<std::uint64_t>(boost::system::in_place_error,
                                    make_error_code(store_errc::protocol));
  co_return static_cast<std::uint64_t>(r->integer);
}

}  // namespace varco::session
