#include "gateway/portal/support_stream.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace varco::gateway {
namespace {

bool all_digits(std::string_view text) {
  return !text.empty() && text.size() <= 20 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

redis::stream_fields support_fields(const support_ticket& ticket) {
  return {{"email", ticket.email},
          {"subject", ticket.subject},
          {"message", ticket.message},
          {"product", ticket.product},
          {"product_title", ticket.product_title},
          {"fiscal_number", ticket.fiscal_number},
          {"user_name", ticket.user_name},
          {"party_id", ticket.party_id},
          {"party_name", ticket.party_name},
          {"created_at", ticket.created_at},
          {"request_id", ticket.request_id}};
}

std::string support_webhook_body(const redis::stream_entry& entry, unsigned attempt) {
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
