// The `support:` section: the Assistenza form's address, limits, stream and webhook forwarding.
#include "conf/sections.hpp"
#include "conf/syntax.hpp"
#include "conf/units.hpp"

#include <algorithm>

namespace varco::conf::detail {
namespace {

// Goes into a mailto: link and is shown as text: one plain address, nothing a link could smuggle
// (no '?', '&', spaces or controls), so the page never has to encode it.
bool is_plain_address(std::string_view text) {
  const auto at = text.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == text.size()) return false;
  if (text.find('@', at + 1) != std::string_view::npos) return false;
  if (text.substr(at + 1).find('.') == std::string_view::npos) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != '?' && c != '&' && c != '#' && c != '"' && c != '<' &&
           c != '>' && c != '\\' && c != '%';
  });
}

// Stream and group names go into Redis commands as arguments (binary safe), but an empty or
// spaced name is a typo, and one name for both streams would re-deliver dead letters.
void read_key(map_reader& map, std::string_view key, std::string& out) {
  const located at = map.at(key);
  if (!map.string(key, out)) return;
  if (out.empty() || out.size() > 200 || std::any_of(out.begin(), out.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20;
      })) {
    map.diag().add(at.line, at.path, "must be 1 to 200 characters without spaces");
  }
}

void read_webhook(load_context& ctx, const located& at, support_webhook& out) {
  map_reader map(ctx.diag, at,
                 {"url", "timeout", "max_attempts", "backoff_initial", "backoff_max"});
  const located url_at = map.at("url");
  std::string url;
  if (!url_at.present()) {
    ctx.diag.add(url_at.line, url_at.path, "is required");
  } else if (map.string("url", url)) {
    if (auto parsed = parse_upstream_url(url)) {
      out.url = std::move(*parsed);
    } else {
      ctx.diag.add(url_at.line, url_at.path,
                   in_quotes(url) + " is not an http:// or https:// URL (no query or fragment)");
    }
  }
  map.positive_duration("timeout", out.timeout);
  map.integer("max_attempts", out.max_attempts, 1, 100);
  const bool initial_ok = map.positive_duration("backoff_initial", out.backoff_initial);
  map.positive_duration("backoff_max", out.backoff_max);
  if (out.backoff_initial > out.backoff_max) {
    const located where = initial_ok ? map.at("backoff_initial") : map.at("backoff_max");
    ctx.diag.add(where.line, where.path,
                 format_duration(out.backoff_initial) + " is longer than backoff_max (" +
                     format_duration(out.backoff_max) + ")");
  }
}

}  // namespace

void read_support(load_context& ctx, const located& at, support& out) {
  if (!at.present()) return;
  out.enabled = true;
  map_reader map(ctx.diag, at,
                 {"email", "webhook", "stream", "dead_letter_stream", "consumer_group",
                  "claim_idle", "max_subject_chars", "max_message_chars"});
  const located email = map.at("email");
  if (map.required_string("email", out.email) && !is_plain_address(out.email)) {
    ctx.diag.add(email.line, email.path, in_quotes(out.email) + " is not a plain e-mail address");
  }
  if (const located webhook = map.at("webhook"); webhook.present()) {
    out.webhook.emplace();
    read_webhook(ctx, webhook, *out.webhook);
  }
  read_key(map, "stream", out.stream);
  read_key(map, "dead_letter_stream", out.dead_letter_stream);
  read_key(map, "consumer_group", out.consumer_group);
  if (out.stream == out.dead_letter_stream) {
    const located where = map.at("dead_letter_stream");
    ctx.diag.add(where.line, where.path, "must differ from stream");
  }
  map.positive_duration("claim_idle", out.claim_idle);
  map.integer("max_subject_chars", out.max_subject_chars, 1, 1000);
  map.integer("max_message_chars", out.max_message_chars, 1, 20000);
  // A delivery attempt still running must never look abandoned to another instance.
  if (out.webhook && out.claim_idle <= out.webhook->timeout) {
    const located where = map.at("claim_idle");
    ctx.diag.add(where.line, where.path,
                 format_duration(out.claim_idle) + " must be longer than webhook.timeout (" +
                     format_duration(out.webhook->timeout) + ")");
  }
}

}  // namespace varco::conf::detail
