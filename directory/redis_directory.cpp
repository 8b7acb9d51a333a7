#include "directory/redis_directory.hpp"

#include "directory/directory_codec.hpp"

#include <charconv>

namespace varco::directory {
namespace {

using session::store_errc;

constexpr std::string_view tables[] = {"parties", "people", "memberships", "delegations", "joins"};

// store_errc::unavailable as a result<T> (result<bool> cannot take an error code implicitly).
template <class T>
result<T> unavailable() {
  return result<T>(boost::system::in_place_error, make_error_code(store_errc::unavailable));
}

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;  // clang-tidy's clang 14 has no aggregate CTAD

// HSET key f1 v1 f2 v2 … for every record; nothing when there are none.
template <class T, class Key>
void add_hset(std::vector<std::vector<std::string>>& commands, const std::string& key,
              const std::vector<T>& records, Key&& key_of) {
  if (records.empty()) return;
  std::vector<std::string> hset{"HSET", key};
  hset.reserve(2 + 2 * records.size());
  for (const auto& r : records) {
    hset.push_back(key_of(r));
    hset.push_back(encode(r));
  }
  commands.push_back(std::move(hset));
}

// Decodes the values of an HGETALL reply ([field, value, …]) with `decode`.
template <class T, class Decode>
void decode_all(const redis::reply& reply, Decode&& decode, std::vector<T>& out,
                std::size_t& unreadable) {
  for (std::size_t i = 1; i < reply.elements.size(); i += 2) {
    if (auto value = decode(reply.elements[i].str)) {
      out.push_back(std::move(*value));
    } else {
      ++unreadable;
    }
  }
}

}  // namespace

std::string changes_channel(std::string_view key_prefix) {
  return std::string(key_prefix) + "dir:changed";
}

redis_directory::redis_directory(std::shared_ptr<redis::connection> connection,
                                 std::string key_prefix)
    : connection_(std::move(connection)), prefix_(std::move(key_prefix)) {}

std::string redis_directory::key(std::string_view table) const {
  return prefix_ + "{dir}:" + std::string(table);
}

boost::asio::awaitable<result<std::vector<redis::reply>>> redis_directory::transaction(
    std::vector<std::vector<std::string>> commands, bool publish) {
  const std::size_t queued = commands.size();
  commands.insert(commands.begin(), {"MULTI"});
  commands.push_back({"EXEC"});
  if (publish) commands.push_back({"PUBLISH", changes_channel(prefix_), "changed"});
  auto replies = co_await connection_->pipeline(std::move(commands));
  // Any failed command (connection lost, an error reply while queueing) means EXEC did not run
  // what we meant: report the store as unavailable rather than a half-known outcome.
  for (std::size_t i = 0; i <= queued + 1 && i < replies.size(); ++i) {
    if (!replies[i]) co_return replies[i].error();
    if (replies[i]->is_error()) co_return store_errc::unavailable;
  }
  if (replies.size() < queued + 2) co_return store_errc::unavailable;
  redis::reply& exec = *replies[queued + 1];
  if (exec.type != redis::reply::kind::array || exec.elements.size() != queued) {
    co_return store_errc::unavailable;
  }
  for (const auto& element : exec.elements) {
    if (element.is_error()) co_return store_errc::unavailable;
  }
  co_return std::move(exec.elements);
}

boost::asio::awaitable<result<versioned_directory>> redis_directory::read() {
  std::vector<std::vector<std::string>> commands;
  for (auto table : tables) commands.push_back({"HGETALL", key(table)});
  commands.push_back({"GET", key("version")});
  auto replies = co_await transaction(std::move(commands), false);
  if (!replies) co_return replies.error();
  const auto& r = *replies;

  versioned_directory out;
  if (r[5].is_nil()) co_return out;  // never imported
  std::uint64_t version = 0;
  const std::string& text = r[5].str;
  if (auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
      ec != std::errc() || end != text.data() + text.size()) {
    co_return store_errc::unavailable;
  }
  out.version = version;
  if (version == 0) co_return out;  // an import is being written right now

  directory_data data;
  decode_all(r[0], decode_party, data.parties, out.unreadable_records);
  decode_all(r[1], decode_person, data.people, out.unreadable_records);
  decode_all(r[2], decode_membership, data.memberships, out.unreadable_records);
  decode_all(r[3], decode_delegation, data.delegations, out.unreadable_records);
  decode_all(r[4], decode_join_request, data.join_requests, out.unreadable_records);
  out.data = std::move(data);
  co_return out;
}

boost::asio::awaitable<result<std::uint64_t>> redis_directory::apply(
    std::vector<directory_change> changes) {
  // Changing a directory that was never imported would create one with only these records.
  // (Arguments built before co_await: GCC 12 mis-compiles a braced list inside the expression.)
  std::vector<std::string> exists_command{"EXISTS", key("version")};
  auto exists = co_await connection_->command(std::move(exists_command));
  if (!exists) co_return exists.error();
  if (exists->is_error()) co_return store_errc::unavailable;
  if (exists->integer == 0) co_return store_errc::unavailable;

  std::vector<std::vector<std::string>> commands;
  commands.reserve(changes.size() + 1);
  for (const auto& change : changes) {
    commands.push_back(
        std::visit(overloaded{
                       [&](const put_person& c) -> std::vector<std::string> {
                         return {"HSET", key("people"), record_key(c.value), encode(c.value)};
                       },
                       [&](const put_membership& c) -> std::vector<std::string> {
                         return {"HSET", key("memberships"), record_key(c.value), encode(c.value)};
                       },
                       [&](const remove_membership& c) -> std::vector<std::string> {
                         return {"HDEL", key("memberships"),
                                 membership_key(c.user_fiscal_number, c.party_id, c.product_id)};
                       },
                       [&](const put_join_request& c) -> std::vector<std::string> {
                         return {"HSET", key("joins"), record_key(c.value), encode(c.value)};
                       },
                   },
                   change));
  }
  commands.push_back({"INCR", key("version")});
  auto replies = co_await transaction(std::move(commands), true);
  if (!replies) co_return replies.error();
  co_return static_cast<std::uint64_t>(replies->back().integer);
}

boost::asio::awaitable<result<bool>> redis_directory::replace(directory_data data,
                                                              bool only_if_empty) {
  if (only_if_empty) {
    // Claims the first import: of two instances starting together, one writes. Readers that see
    // version 0 meanwhile wait for the PUBLISH that follows the import.
    // The claim expires if this process dies before the import lands; the import PERSISTs it.
    std::vector<std::string> claim{"SET", key("version"), "0", "NX", "PX", "60000"};
    auto claimed = co_await connection_->command(std::move(claim));
    if (!claimed) co_return result<bool>(boost::system::in_place_error, claimed.error());
    if (claimed->is_error()) co_return unavailable<bool>();
    if (claimed->is_nil()) co_return false;
  }
  std::vector<std::vector<std::string>> commands;
  for (auto table : tables) commands.push_back({"DEL", key(table)});
  add_hset(commands, key("parties"), data.parties, [](const party& p) { return p.id; });
  add_hset(commands, key("people"), data.people, [](const person& p) { return record_key(p); });
  add_hset(commands, key("memberships"), data.memberships,
           [](const membership& m) { return record_key(m); });
  add_hset(commands, key("delegations"), data.delegations,
           [](const delegation& d) { return record_key(d); });
  add_hset(commands, key("joins"), data.join_requests,
           [](const join_request& j) { return record_key(j); });
  commands.push_back({"INCR", key("version")});
  commands.push_back({"PERSIST", key("version")});
  auto replies = co_await transaction(std::move(commands), true);
  if (!replies) co_return result<bool>(boost::system::in_place_error, replies.error());
  co_return true;
}

}  // namespace varco::directory
