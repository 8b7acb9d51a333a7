// Reading answers back: the echo upstream's JSON account of the request it received
// (test_upstream, behaviour echo), and top-level fields of varco's JSON answers.
//
// Pure functions over strings; thread-safe.
#pragma once

#include "tests/support/http_client.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace varco::test {

// What the echo upstream saw.
struct echoed {
  // Throws when the body is not the echo's JSON (the request never reached the upstream).
  explicit echoed(const http_response& response);
  // nullopt when `body` is not the echo's JSON.
  static std::optional<echoed> parse(const std::string& body);

  std::vector<std::string> values(const std::string& name) const;  // case-insensitive
  std::string value(const std::string& name) const;                // exactly one, else ""
  std::string method;
  std::string target;
  std::uint64_t body_bytes = 0;
  std::string body_sha256;
  header_list headers;  // as received: case and duplicates kept

 private:
  echoed() = default;
};

// A top-level string member of a JSON body; "" when absent, not a string or not JSON.
std::string json_field(const std::string& body, const std::string& name);

}  // namespace varco::test
