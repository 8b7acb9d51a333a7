// How a support request is laid out in the Redis stream, and read back from it: the XADD
// command, the entries of XREADGROUP / XAUTOCLAIM / XRANGE replies, and the JSON the webhook
// receives. Pure functions: no I/O; thread-safe.
//
// Stream entry fields (all strings): email, subject, message, product, product_title,
// fiscal_number, user_name, party_id, party_name, created_at (RFC 3339, UTC, ms), request_id.
// The entry id Redis assigns ("1732812345678-0") is the ticket number shown to the user.
#pragma once

#include "session/redis_reply.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

struct stream_entry {
  std::string id;
  std::vector<std::pair<std::string, std::string>> fields;  // in stream order

  const std::string& field(std::string_view name) const;  // "" when absent
};

// XADD <stream> * field value … (auto id; nothing trimmed: entries leave the stream only once
// delivered or dead-lettered).
std::vector<std::string> support_xadd(std::string_view stream, const support_ticket& ticket);

// The entries of a reply element that is an array of [id, [field, value, …]] pairs. Malformed
// elements are skipped; an entry deleted while pending (XAUTOCLAIM/XREADGROUP report a nil
// field list) comes back with no fields.
std::vector<stream_entry> stream_entries(const session::redis_reply& entries);

// XREADGROUP … STREAMS <one stream> > : [[stream, entries]] or nil when nothing arrived.
std::vector<stream_entry> xreadgroup_entries(const session::redis_reply& reply);

// XAUTOCLAIM: [next cursor, entries, deleted ids] (Redis ≥ 7).
std::vector<stream_entry> xautoclaim_entries(const session::redis_reply& reply);

// The webhook's body: {"ticket": id, "email": …, …, "attempt": n} as one JSON object.
std::string support_webhook_body(const stream_entry& entry, unsigned attempt);

// A stream entry id as Redis prints them: <ms>-<seq>, both decimal.
bool is_ticket_id(std::string_view text);

}  // namespace varco::gateway
