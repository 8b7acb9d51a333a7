// Signed identity tokens kept per (session, product, environment, party, directory generation),
// so a token is signed once and re-signed only near its expiry, never per request.
//
// One cache per worker thread: not thread-safe, no locks. Bounded: the least recently used entry
// goes when full. A change of party, environment or directory generation is a different key, so
// stale identities are never served; the old entries simply age out.
#pragma once

#include "session/session.hpp"

#include <cstdint>
#include <list>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

namespace varco::policies {

struct token_key {
  std::string_view session_key;
  std::string_view product;
  std::string_view environment;
  std::string_view party;
  std::uint64_t directory_generation = 0;
};

class token_cache {
 public:
  using time_point = session::time_point;

  explicit token_cache(std::size_t max_entries = 10000);

  // The cached token, or nullptr when there is none or it is within max(60 s, 20 % of its
  // lifetime) of expiry (the caller then signs a new one and put()s it). The pointer is valid until
  // the next non-const call.
  const std::string* get(const token_key& key, time_point now);

  void put(const token_key& key, std::string token, time_point issued_at, time_point expires_at);

  // Drops every token of a session (logout, revocation).
  void evict_session(std::string_view session_key);

  std::size_t size() const { return index_.size(); }

  // True while a token issued at `issued_at` and expiring at `expires_at` may still be handed out.
  static bool reusable(time_point issued_at, time_point expires_at, time_point now);

 private:
  struct entry {
    std::string session_key, product, environment, party;
    std::uint64_t generation = 0;
    std::string token;
    time_point issued_at{}, expires_at{};
  };
  using lru_list = std::list<entry>;  // front = most recently used; nodes never move
  // Views into the list node's own strings.
  using index_key = std::tuple<std::string_view, std::string_view, std::string_view,
                               std::string_view, std::uint64_t>;

  static index_key key_of(const token_key& k);
  static index_key key_of(const entry& e);
  void erase(std::map<index_key, lru_list::iterator>::iterator it);

  std::size_t max_entries_;
  lru_list lru_;
  std::map<index_key, lru_list::iterator> index_;  // ordered by session first: evict_session
};

}  // namespace varco::policies
