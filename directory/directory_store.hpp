// The writable directory: where the Utenti page's changes and the join requests are kept, shared by
// every gateway instance (Redis) or by the workers of one process (memory).
//
// The request path never reads a store: a reader builds an immutable snapshot from read() and the
// gateway swaps it in whole (gateway/directory_sync). Every write bumps a version number so
// readers can tell a newer directory from an older one, whatever order notifications arrive in.
//
// Thread-safety: as the session stores (the Redis one per worker on its thread, sharing that
// worker's connection; the memory one shared and locked). Errors are store_errc values.
#pragma once

#include "directory/model.hpp"
#include "session/session_store.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace varco::directory {

template <class T>
using result = session::result<T>;

// One change; a write is a list of them, applied all or none.
struct put_person {
  person value;
};
struct put_membership {  // adds, or replaces the one of (user, party, product)
  membership value;
};
struct remove_membership {
  std::string user_fiscal_number;
  std::string party_id;
  std::string product_id;
};
struct put_join_request {  // adds, or replaces the one of (party, product)
  join_request value;
};
using directory_change =
    std::variant<put_person, put_membership, remove_membership, put_join_request>;

struct versioned_directory {
  std::uint64_t version = 0;           // 0: the store holds no directory yet
  std::optional<directory_data> data;  // empty exactly when version is 0
  // Records the store held but could not decode, left out of `data` (which only ever removes
  // access); the reader logs them.
  std::size_t unreadable_records = 0;
};

class directory_store {
 public:
  virtual ~directory_store() = default;

  virtual boost::asio::awaitable<result<versioned_directory>> read() = 0;

  // Applies every change atomically and returns the new version. Refused with
  // store_errc::unavailable when the store holds no directory yet (nothing to change).
  virtual boost::asio::awaitable<result<std::uint64_t>> apply(
      std::vector<directory_change> changes) = 0;

  // Replaces the whole directory (`varco directory import`, first start). With only_if_empty it
  // writes nothing when a directory is already there; returns whether it wrote.
  virtual boost::asio::awaitable<result<bool>> replace(directory_data data, bool only_if_empty) = 0;
};

}  // namespace varco::directory
