// login_state_store on Redis, sharing the worker's redis::connection with the session store.
// Keys `<prefix><key>`; single-key commands only (GET, GETDEL, SET NX PX, SADD + PEXPIRE, SREM on
// one key), so the layout works on Redis Cluster. GETDEL needs Redis ≥ 6.2 (Debian 12 ships 7.0).
//
// Thread-safety: as its redis::connection (one per worker, used on that worker's thread).
#pragma once

#include "redis/connection.hpp"
#include "session/login_state_store.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace varco::session {

class redis_login_state final : public login_state_store {
 public:
  redis_login_state(std::shared_ptr<redis::connection> connection, std::string key_prefix);

  boost::asio::awaitable<result<void>> put(std::string key, std::string value,
                                           std::chrono::milliseconds ttl) override;
  boost::asio::awaitable<result<std::optional<std::string>>> peek(std::string key) override;
  boost::asio::awaitable<result<std::optional<std::string>>> take(std::string key) override;
  boost::asio::awaitable<result<bool>> claim_once(std::string key,
                                                  std::chrono::milliseconds ttl) override;
  boost::asio::awaitable<result<void>> index_add(std::string key, std::string member,
                                                 std::chrono::milliseconds ttl) override;
  boost::asio::awaitable<result<std::vector<std::string>>> index_take(std::string key) override;
  boost::asio::awaitable<result<void>> index_remove(std::string key, std::string member) override;
  boost::asio::awaitable<result<std::uint64_t>> count_hit(std::string key,
                                                          std::chrono::milliseconds ttl) override;

 private:
  // `command key`, answered by a bulk string or nil (GET, GETDEL).
  boost::asio::awaitable<result<std::optional<std::string>>> string_or_nil(std::string_view command,
                                                                           std::string key);

  std::shared_ptr<redis::connection> connection_;
  std::string prefix_;
};

}  // namespace varco::session
