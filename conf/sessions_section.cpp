// sessions (store choice, Redis connection, timeouts, local cache), jwt, directory and logging.
#include "conf/files.hpp"
#include "conf/sections.hpp"
#include "conf/units.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <map>
#include <system_error>
#include <unistd.h>

namespace varco::conf::detail {
namespace {

// `password` or `password_file` (a secret file), not both; the Redis servers' and the sentinels'.
void read_password(load_context& ctx, map_reader& map, std::string& out) {
  map.string("password", out);
  located password_file = map.at("password_file");
  std::string file;
  if (!read_file_setting(ctx, map, "password_file", file, false) || file.empty()) return;
  if (!out.empty()) {
    ctx.diag.add(password_file.line, password_file.path,
                 "give either password or password_file, not both");
    return;
  }
  std::string problem;
  if (auto secret = read_secret(file, problem)) {
    out = std::move(*secret);
  } else {
    ctx.diag.add(password_file.line, password_file.path, problem);
  }
}

// "host:port" items of a list (IPv6 as [addr]:port).
std::vector<redis_address> read_addresses(load_context& ctx, map_reader& map,
                                          std::string_view key) {
  std::vector<redis_address> out;
  for (const auto& item : map.items(key)) {
    std::string text;
    if (!read_string(ctx.diag, item, text)) continue;
    const auto colon = text.rfind(':');
    redis_address address;
    if (colon != std::string::npos && colon > 0) {
      address.host = text.substr(0, colon);
      if (address.host.size() > 2 && address.host.front() == '[' && address.host.back() == ']')
        address.host = address.host.substr(1, address.host.size() - 2);
      const std::string port = text.substr(colon + 1);
      unsigned value = 0;
      const bool digits =
          !port.empty() && port.size() <= 5 &&
          std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (digits) value = static_cast<unsigned>(std::stoul(port));
      if (digits && value >= 1 && value <= 65535 &&
          address.host.find_first_of("[]/ ") == std::string::npos) {
        address.port = static_cast<std::uint16_t>(value);
        out.push_back(std::move(address));
        continue;
      }
    }
    ctx.diag.add(item.line, item.path,
                 in_quotes(text) + " is not host:port (e.g. 10.0.0.5:26379, [fd00::5]:6379)");
  }
  return out;
}

void read_sentinel(load_context& ctx, const located& at, redis_sentinel& out) {
  map_reader map(ctx.diag, at, {"master_name", "addresses", "password", "password_file"});
  map.required_string("master_name", out.master_name);
  located addresses = map.at("addresses");
  out.addresses = read_addresses(ctx, map, "addresses");
  if (out.addresses.empty()) {
    ctx.diag.add(addresses.present() ? addresses.line : map.line(),
                 addresses.present() ? addresses.path : map.path() + ".addresses",
                 "needs at least one sentinel as host:port");
  }
  read_password(ctx, map, out.password);
}

void read_cluster(load_context& ctx, const located& at, std::vector<redis_address>& out) {
  map_reader map(ctx.diag, at, {"addresses"});
  located addresses = map.at("addresses");
  out = read_addresses(ctx, map, "addresses");
  if (out.empty()) {
    ctx.diag.add(addresses.present() ? addresses.line : map.line(),
                 addresses.present() ? addresses.path : map.path() + ".addresses",
                 "needs at least one cluster node as host:port");
  }
}

void read_redis(load_context& ctx, const located& at, redis& out) {
  map_reader map(
      ctx.diag, at,
      {"host", "port", "password", "password_file", "database", "key_prefix", "connect_timeout",
       "command_timeout", "reconnect_min", "reconnect_max", "sentinel", "cluster"});
  located host = map.at("host");
  if (map.string("host", out.host) && out.host.empty()) {
    ctx.diag.add(host.line, host.path, "must not be empty");
  }
  map.integer("port", out.port, 1, 65535);
  read_password(ctx, map, out.password);
  map.integer("database", out.database, 0, 1 << 20);
  located key_prefix = map.at("key_prefix");
  if (map.string("key_prefix", out.key_prefix) && out.key_prefix.empty()) {
    ctx.diag.add(key_prefix.line, key_prefix.path, "must not be empty");
  }
  map.positive_duration("connect_timeout", out.connect_timeout);
  map.positive_duration("command_timeout", out.command_timeout);
  map.positive_duration("reconnect_min", out.reconnect_min);
  map.positive_duration("reconnect_max", out.reconnect_max);
  if (map.has("sentinel")) read_sentinel(ctx, map.at("sentinel"), out.sentinel);
  if (map.has("cluster")) read_cluster(ctx, map.at("cluster"), out.cluster);
  if (map.has("sentinel") && map.has("cluster")) {
    located cluster = map.at("cluster");
    ctx.diag.add(cluster.line, cluster.path,
                 "a Redis Cluster has no Sentinel: give either sentinel or cluster, not both");
  }
  if (map.has("cluster") && out.database != 0) {
    located database = map.at("database");
    ctx.diag.add(database.present() ? database.line : map.line(),
                 database.present() ? database.path : map.path() + ".database",
                 "Redis Cluster has only database 0");
  }
  // Multi-key operations rely on hash tags ({dir} of the directory); a brace in the prefix
  // would become the hash tag of every key and put all of them in one slot (or break the tags).
  if (out.key_prefix.find_first_of("{}") != std::string::npos) {
    located key_prefix = map.at("key_prefix");
    ctx.diag.add(key_prefix.line, key_prefix.path,
                 "must not contain { or } (they select the Redis Cluster hash slot)");
  }
  if (out.reconnect_min > out.reconnect_max) {
    located at_min = map.at("reconnect_min");
    ctx.diag.add(at_min.line, at_min.path,
                 format_duration(out.reconnect_min) + " is longer than reconnect_max (" +
                     format_duration(out.reconnect_max) + ")");
  }
}

}  // namespace

void read_sessions(load_context& ctx, const located& at, sessions& out) {
  map_reader map(ctx.diag, at,
                 {"store", "redis", "idle_timeout", "absolute_timeout", "touch_interval",
                  "cache_ttl", "cache_entries"});
  located store = map.at("store");
  std::string kind;
  if (map.string("store", kind)) {
    if (kind == "memory") {
      out.store = store_kind::memory;
    } else if (kind == "redis") {
      out.store = store_kind::redis;
    } else {
      ctx.diag.add(store.line, store.path,
                   in_quotes(kind) + " is not a session store (memory or redis)");
    }
  }
  read_redis(ctx, map.at("redis"), out.redis);
  bool idle_ok = map.positive_duration("idle_timeout", out.idle_timeout);
  bool absolute_ok = map.positive_duration("absolute_timeout", out.absolute_timeout);
  map.positive_duration("touch_interval", out.touch_interval);
  map.duration_or_zero("cache_ttl", out.cache_ttl);
  map.integer("cache_entries", out.cache_entries, 0);
  if ((idle_ok || absolute_ok) && out.idle_timeout > out.absolute_timeout) {
    // Point at the value that was written; both messages say the same thing.
    if (idle_ok) {
      located idle = map.at("idle_timeout");
      ctx.diag.add(idle.line, idle.path,
                   format_duration(out.idle_timeout) + " is longer than absolute_timeout " +
                       format_duration(out.absolute_timeout));
    } else {
      located absolute = map.at("absolute_timeout");
      ctx.diag.add(absolute.line, absolute.path,
                   format_duration(out.absolute_timeout) + " is shorter than idle_timeout " +
                       format_duration(out.idle_timeout));
    }
  }
  if (out.touch_interval >= out.idle_timeout) {
    located touch = map.at("touch_interval");
    ctx.diag.add(touch.line, touch.path,
                 format_duration(out.touch_interval) + " must be shorter than idle_timeout " +
                     format_duration(out.idle_timeout) + ", or active sessions would expire");
  }
}

void read_jwt(load_context& ctx, const located& at, jwt& out) {
  map_reader map(ctx.diag, at, {"key_file", "kid", "issuer", "ttl", "previous_public_keys"});
  read_file_setting(ctx, map, "key_file", out.key_file, true, ec_p256_private_key_problem);
  map.required_string("kid", out.kid);
  map.string("issuer", out.issuer);
  map.positive_duration("ttl", out.ttl);
  // kid → the setting that first named it: every kid in the JWKS must pick exactly one key.
  std::map<std::string, std::string, std::less<>> kids;
  if (!out.kid.empty()) kids.emplace(out.kid, map.at("kid").path);
  for (const auto& item : map.items("previous_public_keys")) {
    previous_jwt_key key;
    if (item.node.IsScalar()) {
      // The first form: a file name only; its kid is the key's thumbprint.
      std::string file;
      if (!read_string(ctx.diag, item, file)) continue;
      if (file.empty()) {
        ctx.diag.add(item.line, item.path, "must not be empty");
        continue;
      }
      key.file = resolve_path(ctx.base_dir, file);
      if (auto problem = ec_p256_public_key_problem(key.file)) {
        ctx.diag.add(item.line, item.path, *problem);
        continue;
      }
    } else if (!item.node.IsMap()) {
      ctx.diag.add(item.line, item.path, "expected a file name or a mapping {file, kid}");
      continue;
    } else {
      // {file, kid}: the kid the tokens signed with this key carry (jwt.kid when it was current).
      map_reader key_map(ctx.diag, item, {"file", "kid"});
      const bool file_ok =
          read_file_setting(ctx, key_map, "file", key.file, true, ec_p256_public_key_problem);
      const bool kid_ok = key_map.required_string("kid", key.kid);
      if (kid_ok) {
        const located kid = key_map.at("kid");
        const auto [first, fresh] = kids.emplace(key.kid, kid.path);
        if (!fresh) {
          ctx.diag.add(kid.line, kid.path,
                       in_quotes(key.kid) + " is already the kid of " + first->second +
                           ": a verifier picking keys by kid could not tell them apart");
          continue;
        }
      }
      if (!file_ok || !kid_ok) continue;
    }
    out.previous_public_keys.push_back(std::move(key));
  }
}

void read_directory(load_context& ctx, const located& at, const sessions& sessions,
                    directory_source& out) {
  map_reader map(ctx.diag, at, {"file", "backend"});
  read_file_setting(ctx, map, "file", out.file, false);
  located backend = map.at("backend");
  std::string kind;
  if (!map.string("backend", kind)) return;
  if (kind == "file") {
    out.backend = directory_backend::file;
  } else if (kind == "memory") {
    out.backend = directory_backend::memory;
  } else if (kind == "redis") {
    out.backend = directory_backend::redis;
    if (sessions.store != store_kind::redis) {
      ctx.diag.add(backend.line, backend.path,
                   "the redis directory uses the sessions' Redis: set sessions.store to redis");
    }
  } else {
    ctx.diag.add(backend.line, backend.path,
                 in_quotes(kind) + " is not a directory backend (file, memory or redis)");
  }
}

namespace {

std::string errno_text() { return std::error_code(errno, std::generic_category()).message(); }

// A log file varco can append to: its directory exists, and the file either exists and opens for
// writing or the directory lets varco create it. Nothing is created here, so check-config and a
// refused reload leave no trace.
std::optional<std::string> appendable_file_problem(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path file(path);
  const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  const std::string quoted = in_quotes(path);
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return "cannot write " + quoted + ": the directory " + in_quotes(dir.string()) +
           " does not exist";
  if (fs::is_directory(file, ec)) return "cannot write " + quoted + ": is a directory";
  if (fs::exists(file, ec)) {
    // O_NONBLOCK: a FIFO with no reader fails here instead of hanging the config load.
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return "cannot append to " + quoted + ": " + errno_text();
    ::close(fd);
    return std::nullopt;
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return "cannot create " + quoted + ": " + errno_text();
  return std::nullopt;
}

}  // namespace

void read_logging(load_context& ctx, const located& at, logging& out) {
  map_reader map(ctx.diag, at, {"level", "access_log", "file", "access_file"});
  located level = map.at("level");
  std::string text;
  if (map.string("level", text)) {
    static constexpr std::array<std::string_view, 5> levels{"trace", "debug", "info", "warn",
                                                            "error"};
    if (std::find(levels.begin(), levels.end(), text) != levels.end()) {
      out.level = text;
    } else {
      ctx.diag.add(level.line, level.path,
                   in_quotes(text) + " is not a log level (trace, debug, info, warn, error)");
    }
  }
  map.boolean("access_log", out.access_log);
  read_file_setting(ctx, map, "file", out.file, false, appendable_file_problem);
  read_file_setting(ctx, map, "access_file", out.access_file, false, appendable_file_problem);
}

}  // namespace varco::conf::detail
