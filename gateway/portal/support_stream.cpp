#include "gateway/portal/support_stream.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace varco::gateway {
namespace {

using session::redis_reply;

bool is_bulk(const redis_reply& r) { return r.type == redis_reply::kind::string; }

bool all_digits(std::string_view text) {
  return !text.empty() && text.size() <= 20 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

const std::string& stream_entry::field(std::string_view name) const {
  static const std::string none;
  for (const auto& [key, value] : fields)
    if (key == name) return value;
  return none;
}

std::vector<std::string> support_xadd(std::string_view stream, const support_ticket& ticket) {
  return {"XADD",
          std::string(stream),
          "*",
          "email",
          ticket.email,
          "subject",
          ticket.subject,
          "message",
          ticket.message,
          "product",
          ticket.product,
          "product_title",
          ticket.product_title,
          "fiscal_number",
          ticket.fiscal_number,
          "user_name",
          ticket.user_name,
          "party_id",
          ticket.party_id,
          "party_name",
          ticket.party_name,
          "created_at",
          ticket.created_at,
          "request_id",
          ticket.request_id};
}

std::vector<stream_entry> stream_entries(const redis_reply& entries) {
  std::vector<stream_entry> out;
  if (entries.type != redis_reply::kind::array) return out;
  for (const auto& element : entries.elements) {
    if (element.type != redis_reply::kind::array || element.elements.size() != 2 ||
        !is_bulk(element.elements[0]))
      continue;
    stream_entry entry{element.elements[0].str, {}};
    const auto& pairs = element.elements[1];
    if (pairs.type == redis_reply::kind::array) {
      for (std::size_t i = 0; i + 1 < pairs.elements.size(); i += 2) {
        if (!is_bulk(pairs.elements[i]) || !is_bulk(pairs.elements[i + 1])) continue;
        entry.fields.emplace_back(pairs.elements[i].str, pairs.elements[i + 1].str);
      }
    }
    out.push_back(std::move(entry));
  }
  return out;
}

std::vector<stream_entry> xreadgroup_entries(const redis_reply& reply) {
  if (reply.type != redis_reply::kind::array || reply.elements.empty()) return {};
  const auto& first = reply.elements.front();
  if (first.type != redis_reply::kind::array || first.elements.size() != 2) return {};
  return stream_entries(first.elements[1]);
}

std::vector<stream_entry> xautoclaim_entries(const redis_reply& reply) {
  if (reply.type != redis_reply::kind::array || reply.elements.size() < 2) return {};
  return stream_entries(reply.elements[1]);
}

std::string support_webhook_body(const stream_entry& entry, unsigned attempt) {
  boost::json::object o;
  o["ticket"] = entry.id;
  for (const auto& [key, value] : entry.fields) o[key] = value;
  o["attempt"] = attempt;
  return boost::json::serialize(o);
}

bool is_ticket_id(std::string_view text) {
  const auto dash = text.find('-');
  return dash != std::string_view::npos && all_digits(text.substr(0, dash)) &&
         all_digits(text.substr(dash + 1));
}

}  // namespace varco::gateway
