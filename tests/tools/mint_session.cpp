// varco-mint-session: stores a session in Redis through session_service and prints the cookie
// value. For tests, benchmarks and demos only (it is never installed with varco).
#include "session/redis_store.hpp"
#include "session/session_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace {

using namespace std::chrono_literals;
using varco::session::session;

constexpr std::string_view usage =
    "usage: varco-mint-session --redis-host H --redis-port P [--redis-password X] [--redis-db N]\n"
    "         [--prefix varco:] --user CF --name N --family-name F [--email E] [--party ID]\n"
    "         [--env product=environment ...] [--ttl 30m] [--count 1]\n"
    "  --count N stores N sessions of that user and prints their cookie values, one a line.\n";

// "500ms", "90s", "30m", "2h".
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  long long n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || n <= 0) return std::nullopt;
  const std::string_view unit(end, text.data() + text.size() - end);
  if (unit == "ms") return std::chrono::milliseconds(n);
  if (unit == "s") return std::chrono::seconds(n);
  if (unit == "m") return std::chrono::minutes(n);
  if (unit == "h") return std::chrono::hours(n);
  return std::nullopt;
}

std::optional<int> parse_int(std::string_view text) {
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return n;
}

int fail(std::string_view what) {
  std::cerr << "varco-mint-session: " << what << "\n" << usage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  varco::conf::sessions config;
  config.cache_ttl = 0ms;
  config.redis.port = 0;
  int count = 1;
  session s;
  s.provider = "spid";
  s.level = 2;

  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << usage;
      return 0;
    }
    if (i + 1 >= argc) return fail("missing value for " + std::string(flag));
    const std::string value = argv[++i];
    if (flag == "--redis-host") {
      config.redis.host = value;
    } else if (flag == "--redis-port") {
      auto p = parse_int(value);
      if (!p || *p <= 0 || *p > 65535) return fail("bad --redis-port");
      config.redis.port = static_cast<std::uint16_t>(*p);
    } else if (flag == "--redis-password") {
      config.redis.password = value;
    } else if (flag == "--redis-db") {
      auto d = parse_int(value);
      if (!d || *d < 0) return fail("bad --redis-db");
      config.redis.database = *d;
    } else if (flag == "--prefix") {
      config.redis.key_prefix = value;
    } else if (flag == "--user") {
      s.attributes["fiscalNumber"] = value;
    } else if (flag == "--name") {
      s.attributes["name"] = value;
    } else if (flag == "--family-name") {
      s.attributes["familyName"] = value;
    } else if (flag == "--email") {
      s.attributes["email"] = value;
    } else if (flag == "--party") {
      s.selected_party = value;
    } else if (flag == "--env") {
      const auto eq = value.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == value.size()) {
        return fail("--env wants product=environment");
      }
      s.environments[value.substr(0, eq)] = value.substr(eq + 1);
    } else if (flag == "--ttl") {
      auto ttl = parse_duration(value);
      if (!ttl) return fail("bad --ttl (e.g. 30m, 90s, 2h)");
      config.idle_timeout = *ttl;
      config.absolute_timeout = std::max(config.absolute_timeout, *ttl);
    } else if (flag == "--count") {
      auto n = parse_int(value);
      if (!n || *n <= 0) return fail("bad --count");
      count = *n;
    } else {
      return fail("unknown option " + std::string(flag));
    }
  }
  if (config.redis.port == 0) return fail("--redis-port is required");
  if (s.fiscal_number().empty() || s.attribute("name").empty() ||
      s.attribute("familyName").empty()) {
    return fail("--user, --name and --family-name are required");
  }

  boost::asio::io_context io;
  auto connection = std::make_shared<varco::redis::connection>(io.get_executor(), config.redis);
  auto store = std::make_shared<varco::session::redis_store>(connection, config.redis.key_prefix);
  varco::session::session_service service(store, config);
  // One at a time: each create is a short pipelined round trip, and printing in order keeps
  // `tail -n 1` meaningful for callers that want one id.
  for (int n = 0; n < count; ++n) {
    auto created = boost::asio::co_spawn(io, service.create(s), boost::asio::use_future);
    while (created.wait_for(0s) != std::future_status::ready) io.run_one();
    auto id = created.get();
    if (!id) {
      std::cerr << "varco-mint-session: cannot store the session: " << id.error().message() << "\n";
      return 1;
    }
    std::cout << *id << "\n";
  }
  return 0;
}
