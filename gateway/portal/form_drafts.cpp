#include "gateway/portal/form_drafts.hpp"

#include "gateway/endpoint/rate_limit.hpp"
#include "gateway/http/cookies.hpp"
#include "gateway/http/form_body.hpp"
#include "gateway/http/own_cookies.hpp"
#include "gateway/portal/expired_post.hpp"
#include "session/session_id.hpp"

#include <spdlog/spdlog.h>

namespace varco::gateway {
namespace {

// Keyed by the id's hash, as sessions are: a dump of the store names no cookie.
std::string store_key(std::string_view id) { return "d:" + session::session_key(id); }

// One header value, or an empty one when the header came twice (never same-origin).
std::optional<std::string_view> single_field(const http::request_header<>& request,
                                             std::string_view name) {
  const auto [first, end] = request.equal_range(name);
  if (first == end) return std::nullopt;
  if (std::next(first) != end) return std::string_view{};
  return std::string_view(first->value());
}

std::string_view refusal_of(post_origin origin) {
  return origin == post_origin::cross_site ? "draft_refused_cross_site" : "draft_refused_no_origin";
}

}  // namespace

awaitable<form_drafts::kept> form_drafts::keep(const http::request<http::string_body>& request,
                                               const exchange_notes& notes) {
  kept result;
  const auto log = [&] {
    spdlog::info(
        "area: {} posted without a live session (reason=login_required, draft={}, "
        "client={}, request_id={})",
        notes.path, result.outcome, notes.client, notes.request_id);
  };
  const post_origin origin = classify_post_origin(
      {single_field(request.base(), "Sec-Fetch-Site"), single_field(request.base(), "Origin")},
      request_origin(notes.tls, request[http::field::host]),
      origin_of(config_.server.public_base_url));
  if (origin != post_origin::same_origin) {
    result.outcome = refusal_of(origin);
    log();
    co_return result;
  }
  auto form = parse_form(request.body());
  const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  auto draft = form ? make_draft(notes.path, *form, config_.support, now) : std::nullopt;
  if (!draft) {
    result.outcome = "draft_refused_bad_form";
    log();
    co_return result;
  }
  // Counted before the write, so a client without a session cannot fill the store.
  const auto check =
      co_await check_rate_limit(store_, "login", notes.client, config_.rate_limits.login);
  if (check.outcome != rate_check::verdict::allowed) {
    result.outcome = check.outcome == rate_check::verdict::limited ? "draft_refused_rate_limited"
                                                                   : "draft_store_unavailable";
    log();
    co_return result;
  }
  const std::string id = session::new_session_id();
  const auto ttl = config_.saml.request_ttl;
  if (!co_await store_.put(store_key(id), encode_draft(*draft), ttl)) {
    result.outcome = "draft_store_unavailable";
    log();
    co_return result;
  }
  result.outcome = "draft_kept";
  const bool plain = config_.server.plain_http;
  result.set_cookie =
      set_cookie(draft_cookie_name(plain), id,
                 draft_cookie_options(plain, std::chrono::ceil<std::chrono::seconds>(ttl)));
  log();
  co_return result;
}

awaitable<form_drafts::restored> form_drafts::restore(const http::request_header<>& request,
                                                      std::string_view path) {
  restored result;
  const cookie_found cookie = draft_cookie(request);
  if (!cookie.sent) co_return result;
  result.set_cookie = clearing_cookie();
  if (!cookie.id) co_return result;
  const std::string key = store_key(*cookie.id);
  auto peeked = co_await store_.peek(key);
  if (!peeked) {
    // The draft may still be there: keep the cookie, so a reload can offer it.
    spdlog::warn("area: draft of {} not read: {} (reason=store_unavailable)", path,
                 peeked.error().message());
    result.set_cookie.reset();
    co_return result;
  }
  if (!*peeked) co_return result;  // expired or already used
  auto draft = decode_draft(**peeked, config_.support);
  const bool for_this_page = draft && draft->path == path;
  // Taken whether or not it is used: once the cookie is cleared nothing reaches it any more.
  auto taken = co_await store_.take(key);
  if (!for_this_page) co_return result;
  if (!taken) {
    // Shown from what was read; with the cookie gone the record ends with its TTL.
    spdlog::warn("area: draft of {} not deleted: {} (reason=store_unavailable)", path,
                 taken.error().message());
  } else if (!*taken) {
    co_return result;  // another tab of the browser took it first: only one shows it
  } else {
    draft = decode_draft(**taken, config_.support);
    if (!draft || draft->path != path) co_return result;
  }
  result.draft = std::move(draft);
  spdlog::info("area: draft of {} restored after a new login", path);
  co_return result;
}

awaitable<std::optional<std::string>> form_drafts::discard(const http::request_header<>& request) {
  const cookie_found cookie = draft_cookie(request);
  if (!cookie.sent) co_return std::nullopt;
  if (cookie.id) {
    if (auto taken = co_await store_.take(store_key(*cookie.id)); !taken) {
      // The cookie still goes; the record ends with its TTL.
      spdlog::warn("logout: draft not deleted: {} (reason=store_unavailable)",
                   taken.error().message());
    }
  }
  co_return clearing_cookie();
}

form_drafts::cookie_found form_drafts::draft_cookie(const http::request_header<>& request) const {
  cookie_found found;
  const std::string name = draft_cookie_name(config_.server.plain_http);
  for (auto [field, end] = request.equal_range(http::field::cookie); field != end; ++field) {
    auto value = find_cookie(field->value(), name);
    if (!value) continue;
    found.sent = true;
    if (session::looks_like_session_id(*value)) {
      found.id = std::string(*value);
      break;
    }
  }
  return found;
}

std::string form_drafts::clearing_cookie() const {
  const bool plain = config_.server.plain_http;
  return set_cookie(draft_cookie_name(plain), "",
                    draft_cookie_options(plain, std::chrono::seconds(0)));
}

awaitable<std::optional<std::string>> drafts_at_logout::on_logout(
    const http::request_header<>& request, const runtime& current) {
  co_return co_await form_drafts(store_, *current.config).discard(request);
}

}  // namespace varco::gateway
