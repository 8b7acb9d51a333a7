// The one serialiser and the one parser of audit records.
//
// A record is one line of JSON:
//   {"seq":N,"time":"…Z","prev":"<64 hex>","kind":"…",<fields…>,"hash":"<64 hex>"}\n
// The hashed bytes ("body") are the line up to, not including, the final `,"hash":"` member: the
// verifier hashes the bytes as stored and never re-serialises, so there is no canonical-JSON
// question. The suffix is fixed-size (75 bytes), so the body is found without parsing; the body
// plus "}" must then parse as a JSON object whose first four members are seq, time, prev, kind.
// hash = lowercase hex SHA-256(body); prev = the hash of the record before (64 zeros for the first
// record of a new log).
#pragma once

#include "saml/audit/audit_time.hpp"

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace varco::saml::audit {

inline constexpr std::size_t hash_hex_size = 64;
inline const std::string genesis_hash(hash_hex_size, '0');
// A record carries at most two SAML messages (each capped at 64 KiB decoded by the ACS), so 1 MiB
// is generous; the verifier refuses longer lines rather than reading without bound.
inline constexpr std::size_t max_record_bytes = 1024 * 1024;

struct record_header {
  std::uint64_t seq = 0;
  audit_time time{};
  std::string prev;  // hex hash of the previous record
  std::string kind;
};

struct sealed_record {
  std::string line;  // ends with '\n'
  std::string hash;
};

// Fields must not use the names seq, time, prev, kind, hash (the caller checks).
sealed_record seal_record(const record_header& header, const boost::json::object& fields);

struct parsed_record {
  record_header header;
  boost::json::object fields;  // everything after kind
  std::string hash;
};

// `line` without its '\n'. The error says what is wrong, without a location (the caller adds it).
boost::system::result<parsed_record, std::string> parse_record(std::string_view line);

bool is_hash_hex(std::string_view text);

}  // namespace varco::saml::audit
