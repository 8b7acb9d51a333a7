// The `rate_limits:` section: per-endpoint fixed-window limits (see conf::rate_limits).
//
//   rate_limits:
//     login: {requests: 30, window: 1m}
//     login_per_idp: {requests: 600, window: 1m}
//     acs: {requests: 30, window: 1m}
//     forms: {requests: 60, window: 1m}
#include "conf/sections.hpp"
#include "conf/syntax.hpp"

namespace varco::conf::detail {
namespace {

void read_limit(load_context& ctx, map_reader& parent, std::string_view key, rate_limit& out) {
  const located at = parent.at(key);
  if (!at.present()) return;
  map_reader map(ctx.diag, at, {"requests", "window"});
  map.integer("requests", out.requests, 0, 1'000'000);
  map.positive_duration("window", out.window);
  if (out.window > std::chrono::hours(24)) {
    const located window = map.at("window");
    ctx.diag.add(window.line, window.path, "must be at most 24h");
  }
}

}  // namespace

void read_rate_limits(load_context& ctx, const located& at, rate_limits& out) {
  if (!at.present()) return;
  map_reader map(ctx.diag, at, {"login", "login_per_idp", "acs", "forms"});
  read_limit(ctx, map, "login", out.login);
  read_limit(ctx, map, "login_per_idp", out.login_per_idp);
  read_limit(ctx, map, "acs", out.acs);
  read_limit(ctx, map, "forms", out.forms);
}

}  // namespace varco::conf::detail
