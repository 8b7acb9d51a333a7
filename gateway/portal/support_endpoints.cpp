#include "gateway/portal/support_endpoints.hpp"

#include "base/clock.hpp"
#include "gateway/http/form_body.hpp"
#include "gateway/http/redirect.hpp"
#include "gateway/http/security_headers.hpp"
#include "gateway/pages/page_answers.hpp"
#include "gateway/portal/support_metrics.hpp"
#include "gateway/portal/support_stream.hpp"
#include "policies/identity.hpp"
#include "redis/connection.hpp"
#include "redis/streams.hpp"
#include "session/session_service.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <ctime>

namespace varco::gateway {
namespace {

std::string_view query_of(std::string_view target) {
  const auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

// RFC 3339 in UTC with milliseconds: the webhook's consumers parse it without a time zone table.
std::string rfc3339(session::time_point at) {
  const auto ms = at.time_since_epoch().count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const auto n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(ms % 1000));
  return std::string(text, n) + fraction;
}

std::string full_name(const session::session& user) {
  const auto& name = user.attribute("name");
  const auto& family = user.attribute("familyName");
  if (name.empty()) return family;
  return family.empty() ? name : name + " " + family;
}

}  // namespace

support_page_view support_endpoints::page_view(const area_view& view,
                                               const runtime& current) const {
  const auto& settings = current.config->support;
  support_page_view page;
  // Requests are stored before they are confirmed; without Redis there is nowhere durable to
  // put them, so the page offers the e-mail address instead of a form that would pretend.
  page.form = services_.support_stream != nullptr;
  page.support_email = settings.email;
  page.products = view.active;
  page.max_subject_chars = settings.max_subject_chars;
  page.max_message_chars = settings.max_message_chars;
  return page;
}

handler_result support_endpoints::show(const http::request_header<>& request,
                                       const session::session& user, const runtime& current,
                                       handler_result result, const form_draft* draft) const {
  if (!current.config->support.enabled) return error(std::move(result), 404, "no_route");
  const area_view view = build_area_view(user, *current.directory, *current.config);
  auto& renderer = page_renderer::for_this_thread(page_context_of(result.notes, current));
  if (result.notes.path == "/area/support/sent") {
    // The page only shows the number back; the id shape keeps anything else off the page.
    std::string ticket;
    if (auto params = parse_query(query_of(request.target()))) {
      if (auto it = params->find("ticket"); it != params->end()) ticket = it->second;
    }
    if (!is_ticket_id(ticket)) return error(std::move(result), 400, "bad_form");
    return html(std::move(result), http::status::ok, renderer.support_sent(view, ticket));
  }
  support_page_view page = page_view(view, current);
  // The work e-mail at the party the page acts for, where the help desk can reach them there.
  page.values.email =
      policies::user_email_for(user, current.directory->find_person(user.fiscal_number()),
                               view.has_party ? view.current.id : std::string_view());
  if (draft != nullptr && page.form) {
    // As typed before the session ended (an e-mail field left out of the draft keeps the
    // prefilled one); validated only when sent again.
    const std::string prefilled = page.values.email;
    page.values = support_request_from(draft->fields);
    if (!draft->fields.contains("email")) page.values.email = prefilled;
    page.draft_restored = true;
  }
  return html(std::move(result), http::status::ok, renderer.support(view, page));
}

awaitable<handler_result> support_endpoints::submit(const std::map<std::string, std::string>& form,
                                                    const session::session& user,
                                                    const runtime& current, handler_result result) {
  const auto& settings = current.config->support;
  if (!settings.enabled || result.notes.path != "/area/support")
    co_return error(std::move(result), 404, "no_route");
  auto& counters = support_counters::process();
  const area_view view = build_area_view(user, *current.directory, *current.config);
  auto& renderer = page_renderer::for_this_thread(page_context_of(result.notes, current));
  support_page_view page = page_view(view, current);
  page.values = support_request_from(form);
  result.notes.product = page.values.product;
  redis::connection* connection = services_.support_stream;
  if (!connection) {
    // Only a forged or stale form gets here: the page shows no form on the memory store.
    result.notes.reason = "support_mailto_only";
    co_return html(std::move(result), http::status::conflict, renderer.support(view, page));
  }

  std::vector<std::string> product_ids;
  for (const auto& card : view.active) product_ids.push_back(card.id);
  page.errors = validate_support_request(page.values, settings, product_ids);
  if (page.errors.any()) {
    support_counters::add(counters.invalid);
    if (result.notes.json) co_return error(std::move(result), 422, "support_invalid");
    result.notes.reason = "support_invalid";
    co_return html(std::move(result), http::status::unprocessable_entity,
                   renderer.support(view, page));
  }

  support_ticket ticket;
  ticket.email = page.values.email;
  ticket.subject = page.values.subject;
  ticket.message = page.values.message;
  ticket.product = page.values.product;
  for (const auto& card : view.active)
    if (card.id == ticket.product) ticket.product_title = card.title;
  ticket.fiscal_number = user.fiscal_number();
  ticket.user_name = full_name(user);
  ticket.party_id = view.has_party ? view.current.id : std::string();
  ticket.party_name = view.has_party ? view.current.name : std::string();
  ticket.created_at = rfc3339(base::system_now());
  ticket.request_id = result.notes.request_id;

  auto added = co_await redis::stream_append(*connection, settings.stream, support_fields(ticket));
  if (!added) {
    support_counters::add(counters.store_failed);
    spdlog::error(
        "support: request not stored in {}: {} (reason=support_store_unavailable, "
        "request_id={})",
        settings.stream, added.error().text(), result.notes.request_id);
    if (result.notes.json) co_return error(std::move(result), 503, "support_store_unavailable");
    result.notes.reason = "support_store_unavailable";
    page.store_failed = true;
    std::string body =
        page_renderer::for_this_thread(page_context_of(result.notes, current)).support(view, page);
    co_return html(std::move(result), http::status::service_unavailable, std::move(body));
  }
  support_counters::add(counters.stored);
  const std::string& id = *added;
  spdlog::info("support: ticket {} stored in {} (party={}, product={}, request_id={})", id,
               settings.stream, ticket.party_id, ticket.product, ticket.request_id);
  // POST/redirect/GET: a reload of the confirmation never posts the request twice.
  result.response = redirect_response(http::status::see_other, "/area/support/sent?ticket=" + id,
                                      result.notes.request_id, result.notes.tls,
                                      current.config->server.plain_http);
  co_return result;
}

handler_result support_endpoints::html(handler_result result, http::status status,
                                       std::string body) const {
  return html_page(std::move(result), status, std::move(body),
                   services_.runtime.current()->config->server.plain_http);
}

handler_result support_endpoints::error(handler_result result, unsigned status,
                                        std::string_view reason) const {
  return error_page(*services_.runtime.current(), std::move(result), status, reason);
}

}  // namespace varco::gateway
