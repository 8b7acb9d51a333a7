// How a support request is laid out in the Redis stream (its fields) and what the webhook
// receives for a stream entry (JSON). Pure functions: no I/O; thread-safe.
//
// Stream entry fields (all strings): email, subject, message, product, product_title,
// fiscal_number, user_name, party_id, party_name, created_at (RFC 3339, UTC, ms), request_id.
// The entry id Redis assigns ("1732812345678-0") is the ticket number shown to the user.
#pragma once

#include "redis/streams.hpp"

#include <string>
#include <string_view>

namespace varco::gateway {

struct support_ticket {
  std::string email;
  std::string subject;
  std::string message;
  std::string product;  // id; "" when none was chosen
  std::string product_title;
  std::string fiscal_number;
  std::string user_name;
  std::string party_id;
  std::string party_name;
  std::string created_at;
  std::string request_id;
};

// The stream entry of a ticket: its fields in the order above (Redis assigns the id).
redis::stream_fields support_fields(const support_ticket& ticket);

// The webhook's body: {"ticket": id, "email": …, …, "attempt": n} as one JSON object.
std::string support_webhook_body(const redis::stream_entry& entry, unsigned attempt);

// A stream entry id as Redis prints them: <ms>-<seq>, both decimal.
bool is_ticket_id(std::string_view text);

}  // namespace varco::gateway
