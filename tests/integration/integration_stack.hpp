// The usual stack of an integration test: the shared Redis, five upstream portals (three
// products, pagopa and io with collaudo and produzione), a directory, and a varco process whose
// config is rendered from a template with the test's settings.
#pragma once

#include "tests/support/echoed.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/test_sessions.hpp"
#include "tests/support/test_upstream.hpp"
#include "tests/support/varco_process.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace varco::integration {

using namespace varco::test;
using namespace std::chrono_literals;

inline constexpr const char* institution = "7a0e8c4e-0001-4c1d-8a3b-000000000001";
inline constexpr const char* partner = "7a0e8c4e-0002-4c1d-8a3b-000000000002";
inline constexpr const char* manager_cf = "BNCLRA70C41H501Z";  // MANAGER/admin on the institution
// The manager's work e-mail at the institution (directory users:); the operator has none.
inline constexpr const char* manager_work_email = "l.bianchi@comune.roccaverde.example";
inline constexpr const char* operator_cf = "VRDGPP75D12F205K";  // OPERATOR/operator on pagopa only

// Settings substituted into the config template; durations and sizes in varco's YAML syntax.
struct settings {
  std::string store = "redis";
  std::uint16_t redis_port = 0;  // 0: the shared Redis
  std::string idle_timeout = "30m";
  std::string absolute_timeout = "8h";
  std::string cache_ttl = "5s";
  std::string response_timeout = "10s";
  std::string header_bytes = "16KiB";
  std::string body_bytes = "10MiB";
  std::string drain = "10s";
  std::string listener_tls;    // e.g. ", tls: {certificate: …, key: …}"
  std::string extra_products;  // YAML list items appended under products:
  std::string portal;          // a whole `portal:` section (YAML), or none
};

std::string directory_yaml();

class stack {
 public:
  explicit stack(settings s = {});

  std::string config_yaml() const;  // the template rendered with `config` and the upstreams
  std::unique_ptr<varco_process> start_varco() const;
  std::uint16_t port() const { return varco->port(); }
  std::uint16_t redis_port() const { return config.redis_port; }

  // A session for `fiscal_number` with `party` selected and these environment choices.
  std::string session_for(const std::string& fiscal_number, const std::string& party,
                          std::map<std::string, std::string> environments) const;

  settings config;
  test_upstream pagopa_collaudo, pagopa_produzione, fatture, io_collaudo, io_produzione;
  std::unique_ptr<varco_process> varco;
};

}  // namespace varco::integration
