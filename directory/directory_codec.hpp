// JSON form of the directory's records, as the Redis backend stores them (one hash field per
// record). Field names are the YAML file's; unknown fields are ignored when reading so a newer
// varco may add some without breaking an older one during a rolling upgrade.
#pragma once

#include "directory/model.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace varco::directory {

std::string encode(const party& value);
std::string encode(const person& value);
std::string encode(const membership& value);
std::string encode(const delegation& value);
std::string encode(const join_request& value);

// nullopt when the text is not a JSON object of the record's shape (required fields present,
// roles and statuses known).
std::optional<party> decode_party(std::string_view json);
std::optional<person> decode_person(std::string_view json);
std::optional<membership> decode_membership(std::string_view json);
std::optional<delegation> decode_delegation(std::string_view json);
std::optional<join_request> decode_join_request(std::string_view json);

// The hash field naming each record: its identity, so a put replaces the same record.
std::string record_key(const person& value);
std::string record_key(const membership& value);
std::string membership_key(std::string_view user, std::string_view party, std::string_view product);
std::string record_key(const delegation& value);
std::string record_key(const join_request& value);

}  // namespace varco::directory
