#include "redis/streams.hpp"

#include "redis/errors.hpp"
#include "redis/stream_replies.hpp"

#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <optional>

namespace varco::redis {
namespace {

namespace asio = boost::asio;
using boost::system::result;

// Every command below is built in a named vector before the co_await: GCC 12 rejects a braced
// list of string literals inside a co_await expression ("array used as initializer").

std::string ms(std::chrono::milliseconds d) { return std::to_string(d.count()); }

// The failure in `answer`, if any: no answer, or an error reply.
std::optional<stream_error> failure(const result<reply>& answer) {
  if (!answer) return stream_error{answer.error(), {}};
  if (answer->is_error()) return stream_error{make_error_code(store_errc::protocol), answer->str};
  return std::nullopt;
}

stream_error unexpected() { return {make_error_code(store_errc::protocol), {}}; }

}  // namespace

void throw_exception_from_error(const stream_error& error, const boost::source_location& location) {
  boost::throw_exception(boost::system::system_error(error.code, error.reply), location);
}

const std::string& stream_entry::field(std::string_view name) const {
  static const std::string none;
  for (const auto& [key, value] : fields)
    if (key == name) return value;
  return none;
}

asio::awaitable<stream_result<std::string>> stream_append(connection& redis,
                                                          std::string_view stream,
                                                          const stream_fields& fields) {
  std::vector<std::string> command{"XADD", std::string(stream), "*"};
  command.reserve(3 + 2 * fields.size());
  for (const auto& [key, value] : fields) {
    command.push_back(key);
    command.push_back(value);
  }
  auto added = co_await redis.command(std::move(command));
  if (auto failed = failure(added)) co_return std::move(*failed);
  if (added->type != reply::kind::string) co_return unexpected();
  co_return std::move(added->str);
}

asio::awaitable<stream_result<void>> create_group(connection& redis, std::string_view stream,
                                                  std::string_view group) {
  std::vector<std::string> command{"XGROUP",           "CREATE", std::string(stream),
                                   std::string(group), "0",      "MKSTREAM"};
  auto created = co_await redis.command(std::move(command));
  auto failed = failure(created);
  if (failed && !failed->reply.starts_with("BUSYGROUP")) co_return std::move(*failed);
  co_return stream_result<void>{};
}

asio::awaitable<stream_result<std::vector<stream_entry>>> read_group(
    connection& redis, const stream_consumer& reader, std::size_t count,
    std::chrono::milliseconds block) {
  std::vector<std::string> command{"XREADGROUP",
                                   "GROUP",
                                   std::string(reader.group),
                                   std::string(reader.consumer),
                                   "COUNT",
                                   std::to_string(count),
                                   "BLOCK",
                                   ms(block),
                                   "STREAMS",
                                   std::string(reader.stream),
                                   ">"};
  auto read = co_await redis.command(std::move(command));
  if (auto failed = failure(read)) co_return std::move(*failed);
  co_return read_group_entries(*read);
}

asio::awaitable<stream_result<std::vector<stream_entry>>> claim_idle(
    connection& redis, const stream_consumer& reader, std::chrono::milliseconds min_idle,
    std::size_t count) {
  std::vector<std::string> command{"XAUTOCLAIM",
                                   std::string(reader.stream),
                                   std::string(reader.group),
                                   std::string(reader.consumer),
                                   ms(min_idle),
                                   "0-0",
                                   "COUNT",
                                   std::to_string(count)};
  auto claimed = co_await redis.command(std::move(command));
  if (auto failed = failure(claimed)) co_return std::move(*failed);
  co_return autoclaim_entries(*claimed);
}

asio::awaitable<stream_result<std::string>> pending_owner(connection& redis,
                                                          std::string_view stream,
                                                          std::string_view group,
                                                          std::string_view id) {
  std::vector<std::string> command{"XPENDING",      std::string(stream), std::string(group),
                                   std::string(id), std::string(id),     "1"};
  auto pending = co_await redis.command(std::move(command));
  if (auto failed = failure(pending)) co_return std::move(*failed);
  // [[id, consumer, idle ms, deliveries]], or [] when the entry is not pending.
  if (pending->elements.size() != 1 || pending->elements[0].elements.size() < 2)
    co_return std::string();
  co_return std::move(pending->elements[0].elements[1].str);
}

asio::awaitable<stream_result<bool>> claim(connection& redis, const stream_consumer& reader,
                                           std::string_view id) {
  std::vector<std::string> command{"XCLAIM",
                                   std::string(reader.stream),
                                   std::string(reader.group),
                                   std::string(reader.consumer),
                                   "0",
                                   std::string(id),
                                   "JUSTID"};
  auto claimed = co_await redis.command(std::move(command));
  if (auto failed = failure(claimed)) co_return std::move(*failed);
  co_return !claimed->elements.empty();
}

asio::awaitable<stream_result<void>> acknowledge_and_delete(connection& redis,
                                                            std::string_view stream,
                                                            std::string_view group,
                                                            std::string_view id) {
  std::vector<std::vector<std::string>> commands{
      {"XACK", std::string(stream), std::string(group), std::string(id)},
      {"XDEL", std::string(stream), std::string(id)}};
  auto replies = co_await redis.pipeline(std::move(commands));
  if (replies.empty()) co_return unexpected();
  if (auto failed = failure(replies.front())) co_return std::move(*failed);
  co_return stream_result<void>{};
}

}  // namespace varco::redis
