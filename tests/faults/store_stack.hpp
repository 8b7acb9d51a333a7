// What the store and signal fault tests run against: a Redis of the test's own (so it may be
// killed and restarted), the demo SPID IdP (pysaml2) when the test logs in for real, echo portals
// on loopback and any number of varco instances sharing that Redis. Nothing here is a mock.
//
// Products (all with environment `collaudo`):
//   prod-pagopa  /pagopa-collaudo/…  → `portal`  (what the load loops use)
//   prod-trap    /trap/…             → `trap`    (only requests without a valid session are sent
//                                                 there: any request it receives is a leak)
//   prod-slow    /slow/…             → `slow`    (answers when the test releases it; drain tests)
// Mario (RSSMRA80A01H501U, the demo IdP's user) is MANAGER of one party on all three.
//
// Not thread-safe: build and drive it from the test's thread.
#pragma once

#include "tests/faults/store_held_upstream.hpp"
#include "tests/support/browser.hpp"
#include "tests/support/echoed.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/idp_process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/test_files.hpp"
#include "tests/support/test_upstream.hpp"
#include "tests/support/varco_process.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace varco::faults {

using namespace varco::test;
using namespace std::chrono_literals;

inline constexpr const char* mario_cf = "RSSMRA80A01H501U";
inline constexpr const char* party_id = "9f1c2a3e-0001-4a6b-9c1d-000000000001";
inline constexpr const char* session_cookie = "varco_session";

struct stack_settings {
  bool saml = true;                      // start the demo IdP and configure SPID login
  std::string append_only_dir;           // not empty: the Redis persists there (AOF)
  std::string appendfsync = "everysec";  // with append_only_dir
  std::string cache_ttl = "10m";         // long: only revocations evict, not expiry
  std::string drain = "10s";             // server.timeouts.drain
  std::string response_timeout = "30s";  // towards the upstreams
  std::string extra_products;            // YAML list items appended under products:
};

class store_stack {
 public:
  explicit store_stack(stack_settings s = {});

  // The config of an instance listening on `port` (0 = any), with `extra_products` appended.
  std::string config_yaml(std::uint16_t port, const std::string& audit_dir) const;
  // Another varco on the same Redis, directory and public URL (the SAML ACS stays on the first).
  std::unique_ptr<varco_process> another_instance();

  // A session for Mario (party and every environment chosen), written through session_service
  // exactly as the login writes it. Throws when the store refuses.
  std::string create_session() const;

  // The SPID login through the demo IdP in `b`, started at instance `at` (the ACS answers on
  // the first instance); returns the ACS answer (303 and a session cookie when it worked).
  http_response login(browser& b, std::uint16_t at);
  std::string login_start_target() const;  // GET /saml/login?idp=…&return=…

  // Waits until every worker of the instance on `port` has its store connection up.
  static bool store_up_everywhere(std::uint16_t port, std::chrono::milliseconds deadline = 30s);

  stack_settings settings;
  temp_dir files;
  std::unique_ptr<redis_server> redis;
  std::unique_ptr<idp_process> idp;
  test_upstream portal;
  test_upstream trap;
  held_upstream slow;
  std::unique_ptr<varco_process> varco;

 private:
  std::uint16_t first_port_ = 0;
  std::string audit_dir_;
  int instances_ = 1;
};

header_list api_cookie(const std::string& cookie_id);      // Accept JSON + the session cookie
header_list browser_cookie(const std::string& cookie_id);  // Accept HTML + the session cookie
// A value of the shape of a session id that no session has (a forged or stale cookie).
std::string unknown_session_id();

// The upstream's echo: a header's value as received ("" when absent, repeated, or no echo).
std::string echoed_header(const http_response& response, const std::string& name);

}  // namespace varco::faults
