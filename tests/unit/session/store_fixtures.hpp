// The two session stores behind one shape, for the typed contract suite and service tests.
#pragma once

#include "session/memory_store.hpp"
#include "session/redis_store.hpp"
#include "session/redis_subscriber.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/redis_test_config.hpp"
#include "tests/support/test_io.hpp"

#include <memory>
#include <string>

namespace varco::session::testing {

using namespace std::chrono_literals;
using namespace std::string_literals;

using test::poll_until;
using test::redis_config;
using test::run;
using test::run_until;
using test::unique_prefix;

struct memory_backend {
  boost::asio::io_context io;
  std::shared_ptr<memory_store> memory = std::make_shared<memory_store>();
  std::shared_ptr<session_store> store = memory;

  // Another instance's revocation feed, ready when this returns.
  std::shared_ptr<void> subscribe(revocation_handler h) {
    return std::make_shared<memory_store::subscription>(
        memory->subscribe(std::move(h), io.get_executor()));
  }
};

struct redis_backend {
  boost::asio::io_context io;
  conf::redis config = redis_config(test::redis_server::shared().port(), unique_prefix());
  std::shared_ptr<session_store> store = std::make_shared<redis_store>(
      std::make_shared<redis::connection>(io.get_executor(), config), config.key_prefix);

  // A separate connection, as another varco instance would have. Waits until it is subscribed
  // (signalled by the "drop everything" call), so nothing published later is missed.
  std::shared_ptr<void> subscribe(revocation_handler h) {
    auto ready = std::make_shared<bool>(false);
    auto sub = std::make_shared<redis_subscriber>(io.get_executor(), config,
                                                  [h = std::move(h), ready](std::string_view key) {
                                                    if (key.empty()) *ready = true;
                                                    h(key);
                                                  });
    if (!run_until(io, [&] { return *ready; })) throw std::runtime_error("subscribe timed out");
    return sub;
  }
};

inline session sample_session(std::string key) {
  session s;
  s.key = std::move(key);
  s.attributes = {{"fiscalNumber", "RSSMRA80A01H501U"},
                  {"name", "Mario"},
                  {"familyName", "Rossi"},
                  {"email", "mario.rossi@example.it"}};
  s.provider = "spid";
  s.idp_entity_id = "https://idp.example.it";
  s.name_id = "_nameid\0with-nul"s;
  s.session_index = "_idx";
  s.level = 2;
  s.created_at = time_point{std::chrono::milliseconds{1'700'000'000'000}};
  s.selected_party = "party-1";
  s.environments = {{"prod-pagopa", "collaudo"}};
  s.csrf_token = "csrf";
  return s;
}

}  // namespace varco::session::testing
