#include "redis/sentinel.hpp"

#include "redis/connection.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace varco::redis {
namespace asio = boost::asio;

std::string address_text(const conf::redis_address& a) {
  return a.host + ":" + std::to_string(a.port);
}

asio::awaitable<std::optional<conf::redis_address>> ask_sentinels(asio::any_io_executor executor,
                                                                  conf::redis config) {
  for (const auto& sentinel : config.sentinel.addresses) {
    conf::redis probe;
    probe.host = sentinel.host;
    probe.port = sentinel.port;
    probe.password = config.sentinel.password;
    probe.database = -1;
    probe.connect_timeout = config.connect_timeout;
    probe.command_timeout = config.command_timeout;
    connection link(executor, probe);
    // Named, not braced in the co_await: GCC 12 miscompiles initializer lists there.
    std::vector<std::string> question{"SENTINEL", "get-master-addr-by-name",
                                      config.sentinel.master_name};
    auto answer = co_await link.command(std::move(question));
    if (answer && answer->type == reply::kind::array && answer->elements.size() == 2 &&
        answer->elements[0].type == reply::kind::string &&
        answer->elements[1].type == reply::kind::string) {
      const std::string& port = answer->elements[1].str;
      unsigned value = 0;
      const bool digits =
          !port.empty() && port.size() <= 5 &&
          std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (digits) value = static_cast<unsigned>(std::stoul(port));
      if (digits && value >= 1 && value <= 65535) {
        co_return conf::redis_address{answer->elements[0].str, static_cast<std::uint16_t>(value)};
      }
    }
    spdlog::warn("redis: sentinel {} gave no primary for {}: {} (reason=redis_sentinel_unanswered)",
                 address_text(sentinel), config.sentinel.master_name,
                 answer ? (answer->is_error() ? answer->str : std::string("no such master"))
                        : answer.error().message());
  }
  co_return std::nullopt;
}

}  // namespace varco::redis
