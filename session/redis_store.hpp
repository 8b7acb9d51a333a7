// session_store on Redis: key `<prefix>s:<key>` holds the JSON document (session_codec) with
// the idle timeout as its expiry; every save and remove publishes the key on `<prefix>revoked`
// (an insert, of a new key, does not).
//
// Only single-key commands, so the layout works on Redis Cluster without hash tags.
// Thread-safety: as its redis::connection (one per worker, used on that worker's thread).
#pragma once

#include "redis/connection.hpp"
#include "session/session_store.hpp"

#include <memory>
#include <string>

namespace varco::session {

class redis_store final : public session_store {
 public:
  // `connection` may be shared with other users on the same worker.
  redis_store(std::shared_ptr<redis::connection> connection, std::string key_prefix);

  boost::asio::awaitable<result<std::optional<stored_session>>> load(std::string key) override;
  boost::asio::awaitable<result<void>> save(session s, std::chrono::milliseconds ttl) override;
  boost::asio::awaitable<result<void>> insert(session s, std::chrono::milliseconds ttl) override;
  boost::asio::awaitable<result<void>> touch(std::string key,
                                             std::chrono::milliseconds ttl) override;
  boost::asio::awaitable<result<void>> remove(std::string key) override;
  bool healthy() const override { return connection_->healthy(); }

  redis::connection& connection() { return *connection_; }
  const redis::connection& connection() const { return *connection_; }
  const std::shared_ptr<redis::connection>& shared_connection() const { return connection_; }
  std::string redis_key(std::string_view key) const;

 private:
  std::shared_ptr<redis::connection> connection_;
  std::string prefix_;
  std::string channel_;
};

}  // namespace varco::session
