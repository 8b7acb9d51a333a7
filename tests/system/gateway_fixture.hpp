// The usual stack for a system test: Redis, four upstream portals (two products × two
// environments), a directory and a varco process configured for them.
#pragma once

#include "tests/support/redis_server.hpp"
#include "tests/system/harness.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace varco::system_test {

inline constexpr const char* institution = "9f1c2a3e-0001-4a6b-9c1d-000000000001";
inline constexpr const char* partner = "9f1c2a3e-0002-4a6b-9c1d-000000000002";
inline constexpr const char* manager_cf = "RSSMRA80A01H501U";   // MANAGER on the institution
inline constexpr const char* operator_cf = "VRDLGU85B02F205X";  // OPERATOR on the institution

struct gateway_options {
  std::string store = "redis";
  std::string idle_timeout = "30m";
  std::string absolute_timeout = "8h";
  std::string cache_ttl = "5s";
  std::string response_timeout = "10s";
  std::string header_bytes = "16KiB";
  std::string body_bytes = "10MiB";
  std::string drain = "10s";
  std::string header_read = "10s";
  std::string idle_keep_alive = "60s";
  std::string tls;             // "{certificate: …, key: …}" for a TLS listener
  std::string extra_products;  // YAML list items appended to products:
  std::string redis_yaml;      // sessions.redis as a flow mapping; empty = the shared test Redis
};

std::string directory_yaml();

class gateway_stack {
 public:
  explicit gateway_stack(gateway_options options = {});

  std::string config_yaml() const;  // for SIGHUP tests that rewrite it
  std::unique_ptr<gateway_process> start_gateway(const std::string& name = "varco");

  std::string cookie_for(const std::string& fiscal_number, const std::string& party,
                         std::map<std::string, std::string> environments);

  gateway_options options;
  temp_dir dir;
  test::redis_server& redis;
  echo_upstream pagopa_collaudo, pagopa_produzione, io_collaudo, io_produzione;
  std::unique_ptr<gateway_process> gateway;
};

header_list with_cookie(const std::string& cookie_id, header_list more = {});
header_list as_api(header_list more = {});  // Accept: application/json
header_list as_browser(header_list more = {});

// The echo upstream's view of the request.
struct echoed {
  explicit echoed(const http_answer& answer);
  std::vector<std::string> values(const std::string& header) const;  // case-insensitive
  std::string value(const std::string& header) const;                // exactly one, else ""
  std::string target;
  std::string method;
  std::size_t body_bytes = 0;
  std::string body_sha256;
  std::vector<std::pair<std::string, std::string>> headers;
};

std::string json_field(const std::string& body, const std::string& name);  // top-level string

}  // namespace varco::system_test
