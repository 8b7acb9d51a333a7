// The stack most gateway tests run on: the shared Redis, four echo upstreams (two products × two
// environments: prod-pagopa by path, prod-io by host), the directory of the Comune di Valdoria
// and a varco process configured for them, all its files in one directory the stack owns (so
// more instances can share its JWT key and directory, and a test can rewrite the config).
//
// Not thread-safe: build and drive it from the test's thread.
#pragma once

#include "tests/support/http_client.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/test_files.hpp"
#include "tests/support/test_upstream.hpp"
#include "tests/support/varco_process.hpp"

#include <map>
#include <memory>
#include <string>

namespace varco::test {

// The directory of the stack (directory.yaml).
namespace gateway_directory {
inline constexpr const char* institution = "9f1c2a3e-0001-4a6b-9c1d-000000000001";
inline constexpr const char* partner = "9f1c2a3e-0002-4a6b-9c1d-000000000002";
inline constexpr const char* manager_cf = "RSSMRA80A01H501U";   // MANAGER on the institution
inline constexpr const char* operator_cf = "VRDLGU85B02F205X";  // OPERATOR on the institution
std::string yaml();
}  // namespace gateway_directory

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

class gateway_stack {
 public:
  explicit gateway_stack(gateway_options options = {});

  std::string config_yaml() const;  // for SIGHUP tests that rewrite it
  // Another varco in the stack's directory (jwt.pem, directory.yaml), its files named `name`.
  std::unique_ptr<varco_process> start_gateway(const std::string& name = "varco") const;
  std::unique_ptr<varco_process> start_gateway_with(const std::string& config_yaml,
                                                    const std::string& name) const;

  std::string cookie_for(const std::string& fiscal_number, const std::string& party,
                         std::map<std::string, std::string> environments) const;

  gateway_options options;
  temp_dir dir;
  redis_server& redis;
  test_upstream pagopa_collaudo, pagopa_produzione, io_collaudo, io_produzione;
  std::unique_ptr<varco_process> gateway;
};

}  // namespace varco::test
