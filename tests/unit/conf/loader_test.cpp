#include "conf/loader.hpp"

#include "tests/unit/conf/conf_fixture.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace varco::conf::testing {
namespace {

using namespace std::chrono_literals;

std::string read_example(const std::string& name) {
  std::ifstream in(std::string(VARCO_CONF_EXAMPLES) + "/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class loader : public conf_fixture {};

TEST_F(loader, example_config_loads) {
  write_ec_key("keys/jwt-es256.pem");
  write("directory.yaml", read_example("directory.yaml"));
  auto outcome = load(read_example("varco.yaml"));
  for (const auto& e : outcome.errors) ADD_FAILURE() << e.to_string();
  ASSERT_TRUE(outcome.value);
  const config& c = *outcome.value;

  EXPECT_EQ(c.source_file, path("varco.yaml").string());
  ASSERT_EQ(c.server.listeners.size(), 1u);
  EXPECT_EQ(c.server.listeners[0].address, "127.0.0.1");
  EXPECT_EQ(c.server.listeners[0].port, 8080);
  EXPECT_FALSE(c.server.listeners[0].tls);
  EXPECT_EQ(c.server.public_base_url, "http://127.0.0.1:8080");
  EXPECT_TRUE(c.server.plain_http);
  EXPECT_EQ(c.server.limits.header_bytes, 16u * 1024);
  EXPECT_EQ(c.server.limits.body_bytes, 10u * 1024 * 1024);
  EXPECT_EQ(c.server.timeouts.drain, 20s);
  EXPECT_TRUE(c.sessions.plain_http);
  EXPECT_EQ(c.sessions.cookie_name(), "varco_session");
  EXPECT_EQ(c.sessions.redis.key_prefix, "varco:");
  EXPECT_EQ(c.sessions.redis.reconnect_min, 100ms);
  EXPECT_EQ(c.jwt.key_file, path("keys/jwt-es256.pem").string());
  EXPECT_EQ(c.jwt.kid, "varco-2026-1");
  EXPECT_EQ(c.jwt.issuer, "http://127.0.0.1:8080");
  EXPECT_EQ(c.directory.file, path("directory.yaml").string());
  EXPECT_EQ(c.claims.header_names.size(), claim_count);
  EXPECT_EQ(c.claims.token_header, "X-Varco-Identity-Token");

  ASSERT_EQ(c.products.size(), 1u);
  const product* p = c.find_product("prod-pagopa");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(c.find_product("nope"), nullptr);
  EXPECT_EQ(p->path_prefix, "/pagopa");
  EXPECT_TRUE(p->strip_path_prefix);
  EXPECT_EQ(p->required_party_roles,
            (std::vector<std::string>{"MANAGER", "DELEGATE", "SUB_DELEGATE", "OPERATOR"}));
  ASSERT_EQ(p->path_rules.size(), 1u);
  EXPECT_EQ(p->path_rules[0].prefix, "/admin");
  EXPECT_EQ(p->path_rules[0].product_roles, std::vector<std::string>{"admin"});
  EXPECT_EQ(p->claims.token_header, "Authorization");
  EXPECT_EQ(p->claims.token_scheme, "Bearer");
  EXPECT_TRUE(p->claims.replace_authorization);
  EXPECT_EQ(p->claims.header_names.at(claim::party_id), "X-Varco-Party-Id");
  ASSERT_EQ(p->environments.size(), 2u);
  const environment* collaudo = p->find_environment("collaudo");
  ASSERT_NE(collaudo, nullptr);
  EXPECT_EQ(p->find_environment("sviluppo"), nullptr);
  EXPECT_EQ(collaudo->label, "Ambiente di Collaudo");
  EXPECT_EQ(collaudo->label_en, "Test environment");
  EXPECT_EQ(collaudo->audience, "pagopa-collaudo");
  ASSERT_EQ(collaudo->upstreams.size(), 1u);
  EXPECT_EQ(collaudo->upstreams[0].port, 9101);
  EXPECT_TRUE(collaudo->party_roles.empty());
  const environment* produzione = p->find_environment("produzione");
  ASSERT_NE(produzione, nullptr);
  EXPECT_EQ(produzione->party_roles,
            (std::vector<std::string>{"MANAGER", "DELEGATE", "SUB_DELEGATE"}));
  EXPECT_EQ(c.logging.level, "info");
}

TEST_F(loader, defaults_are_those_of_config_hpp) {
  auto outcome = load(std::string(minimal_jwt) + minimal_products);
  for (const auto& e : outcome.errors) ADD_FAILURE() << e.to_string();
  ASSERT_TRUE(outcome.value);
  const config& c = *outcome.value;
  const config defaults;

  ASSERT_EQ(c.server.listeners.size(), 1u);
  EXPECT_EQ(c.server.listeners[0].address, "127.0.0.1");
  EXPECT_EQ(c.server.listeners[0].port, 8080);
  EXPECT_EQ(c.server.workers, 0u);
  EXPECT_EQ(c.server.crypto_threads, 0u);
  EXPECT_EQ(c.server.public_base_url, "http://127.0.0.1:8080");
  EXPECT_FALSE(c.server.plain_http);
  EXPECT_TRUE(c.server.trusted_proxies.empty());
  EXPECT_EQ(c.server.limits.header_bytes, defaults.server.limits.header_bytes);
  EXPECT_EQ(c.server.limits.body_bytes, defaults.server.limits.body_bytes);
  EXPECT_EQ(c.server.limits.pipelined_requests, 16u);
  EXPECT_EQ(c.server.limits.max_connections, 10000u);
  EXPECT_EQ(c.server.limits.crypto_queue, 256u);
  EXPECT_EQ(c.server.timeouts.header_read, 10s);
  EXPECT_EQ(c.server.timeouts.body_read, 30s);
  EXPECT_EQ(c.server.timeouts.idle_keep_alive, 60s);
  EXPECT_EQ(c.server.timeouts.drain, 20s);

  EXPECT_EQ(c.sessions.store, store_kind::memory);
  EXPECT_EQ(c.sessions.redis.host, "127.0.0.1");
  EXPECT_EQ(c.sessions.redis.port, 6379);
  EXPECT_EQ(c.sessions.redis.password, "");
  EXPECT_EQ(c.sessions.idle_timeout, 30min);
  EXPECT_EQ(c.sessions.absolute_timeout, 8h);
  EXPECT_EQ(c.sessions.touch_interval, 1min);
  EXPECT_EQ(c.sessions.cache_ttl, 5s);
  EXPECT_EQ(c.sessions.cache_entries, 100000u);
  EXPECT_EQ(c.sessions.cookie_name(), "__Host-varco_session");

  EXPECT_EQ(c.jwt.issuer, "http://127.0.0.1:8080");
  EXPECT_EQ(c.jwt.ttl, 15min);
  EXPECT_TRUE(c.jwt.previous_public_keys.empty());

  EXPECT_EQ(c.claims.header_namespace, "X-Varco-");
  EXPECT_EQ(c.claims.header_names.size(), claim_count);
  EXPECT_EQ(c.claims.header_names.at(claim::user_fiscal_number), "X-Varco-User-Fiscal-Number");
  EXPECT_EQ(c.claims.header_names.at(claim::environment), "X-Varco-Environment");
  EXPECT_EQ(c.claims.token_header, "X-Varco-Identity-Token");
  EXPECT_EQ(c.claims.token_scheme, "");
  EXPECT_FALSE(c.claims.replace_authorization);
  EXPECT_EQ(c.directory.file, "");

  const environment& env = c.products.at(0).environments.at(0);
  EXPECT_EQ(env.label, "collaudo");
  EXPECT_EQ(env.mode, environment_mode::proxied);
  EXPECT_EQ(env.audience, "p:collaudo");
  EXPECT_EQ(env.connect_timeout, 2s);
  EXPECT_EQ(env.response_timeout, 30s);
  EXPECT_EQ(env.pool_size, 64u);
  EXPECT_TRUE(env.tls.verify);
  EXPECT_EQ(c.products.at(0).claims.header_names, c.claims.header_names);
  EXPECT_EQ(c.logging.level, "info");
  EXPECT_TRUE(c.logging.access_log);
}

TEST_F(loader, files_resolve_and_secrets_are_read) {
  write_ec_key("keys/old.pem", "P-256", "keys/old.pub.pem");
  write("secrets/redis", "s3cret\n");
  write("tls/cert.pem", "certificate");
  write("tls/key.pem", "key");
  auto outcome = load(std::string(minimal_jwt) + "  previous_public_keys: [keys/old.pub.pem]\n" +
                      "server:\n"
                      "  listeners:\n"
                      "    - { address: '::1', port: 8443, tls: { certificate: tls/cert.pem, key: "
                      "tls/key.pem } }\n"
                      "  trusted_proxies: [10.0.0.0/8, 'fd00::/8']\n"
                      "sessions:\n"
                      "  store: redis\n"
                      "  redis: { password_file: secrets/redis, database: 2 }\n" +
                      minimal_products);
  for (const auto& e : outcome.errors) ADD_FAILURE() << e.to_string();
  ASSERT_TRUE(outcome.value);
  const config& c = *outcome.value;
  EXPECT_EQ(c.jwt.previous_public_keys,
            (std::vector<previous_jwt_key>{{path("keys/old.pub.pem").string(), ""}}));
  ASSERT_TRUE(c.server.listeners.at(0).tls);
  EXPECT_EQ(c.server.listeners[0].tls->certificate_file, path("tls/cert.pem").string());
  EXPECT_EQ(c.server.public_base_url, "https://[::1]:8443");
  EXPECT_EQ(c.server.trusted_proxies.size(), 2u);
  EXPECT_EQ(c.sessions.store, store_kind::redis);
  EXPECT_EQ(c.sessions.redis.password, "s3cret");
  EXPECT_EQ(c.sessions.redis.database, 2);
}

TEST_F(loader, redirect_environments_and_pinned_routes) {
  auto outcome = load(std::string(minimal_jwt) +
                      "products:\n"
                      "  - id: p\n"
                      "    title: P\n"
                      "    host: Portal.Example.IT\n"
                      "    environments:\n"
                      "      - id: esterno\n"
                      "        mode: redirect\n"
                      "        redirect_url: 'https://portal.example/#t={token}&lang={lang}'\n"
                      "      - id: produzione\n"
                      "        host: prod.example.it\n"
                      "        path_prefix: /app\n"
                      "        upstreams: ['https://backend.example.it:8443/base/']\n"
                      "        tls: { verify: false, server_name: backend.example.it }\n");
  for (const auto& e : outcome.errors) ADD_FAILURE() << e.to_string();
  ASSERT_TRUE(outcome.value);
  const product& p = outcome.value->products.at(0);
  EXPECT_EQ(p.host, "portal.example.it");
  const environment& redirect = p.environments.at(0);
  EXPECT_EQ(redirect.mode, environment_mode::redirect);
  EXPECT_EQ(redirect.redirect_url, "https://portal.example/#t={token}&lang={lang}");
  EXPECT_TRUE(redirect.upstreams.empty());
  EXPECT_EQ(redirect.token_ttl, 60s);  // the default: short, the token is used at once
  EXPECT_EQ(redirect.audience, "p");   // a redirect portal is the product's own back-office
  const environment& pinned = p.environments.at(1);
  EXPECT_EQ(pinned.host, "prod.example.it");
  EXPECT_EQ(pinned.path_prefix, "/app");
  ASSERT_EQ(pinned.upstreams.size(), 1u);
  EXPECT_TRUE(pinned.upstreams[0].https);
  EXPECT_EQ(pinned.upstreams[0].port, 8443);
  EXPECT_EQ(pinned.upstreams[0].base_path, "/base");
  EXPECT_FALSE(pinned.tls.verify);
  EXPECT_EQ(pinned.tls.server_name, "backend.example.it");
}

TEST_F(loader, missing_file_is_reported_with_line_0) {
  auto outcome = load_config(path("nope.yaml").string());
  EXPECT_FALSE(outcome.value);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].to_string(),
            path("nope.yaml").string() + ":0: cannot read: No such file or directory");
}

TEST_F(loader, yaml_syntax_error_has_its_line) {
  auto errors = errors_of("jwt:\n  kid: k1\nserver:\n  workers: [1, 2\n  plain_http: true\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("varco.yaml:5: YAML syntax error: ", 0), 0u) << errors[0];
}

TEST_F(loader, the_crypto_pool_settings_are_read_and_bounded) {
  auto outcome =
      load(std::string(minimal_jwt) +
           "server:\n  crypto_threads: 3\n  limits: {crypto_queue: 40}\n" + minimal_products);
  for (const auto& e : outcome.errors) ADD_FAILURE() << e.to_string();
  ASSERT_TRUE(outcome.value);
  EXPECT_EQ(outcome.value->server.crypto_threads, 3u);
  EXPECT_EQ(outcome.value->server.limits.crypto_queue, 40u);

  const std::vector<std::string> expected{
      "varco.yaml:5: server.crypto_threads: 2000 is out of range 0..1024",
      "varco.yaml:6: server.limits.crypto_queue: 0 is out of range 1..1000000",
  };
  EXPECT_EQ(errors_of(std::string(minimal_jwt) +
                      "server:\n  crypto_threads: 2000\n  limits: {crypto_queue: 0}\n" +
                      minimal_products),
            expected);
}

TEST_F(loader, every_error_is_reported_in_line_order) {
  auto errors = errors_of(
      "jwt:\n"                          // 1
      "  key_file: missing.pem\n"       // 2
      "server:\n"                       // 3
      "  workers: -1\n"                 // 4
      "  timeouts: { drain: 5y }\n"     // 5
      "logging:\n"                      // 6
      "  level: loud\n"                 // 7
      "  colour: true\n"                // 8
      "products:\n"                     // 9
      "  - id: p\n"                     // 10
      "    title: P\n"                  // 11
      "    host: a.example.it\n"        // 12
      "    environments:\n"             // 13
      "      - id: e\n"                 // 14
      "        upstreams: [htp://x]\n"  // 15
  );
  const std::vector<std::string> expected{
      "varco.yaml:1: jwt.kid: is required",
      "varco.yaml:2: jwt.key_file: cannot read \"missing.pem\": No such file or directory",
      "varco.yaml:4: server.workers: -1 is out of range 0..1024",
      "varco.yaml:5: server.timeouts.drain: \"5y\" is not a duration (e.g. 250ms, 10s, 15m, 8h, "
      "1d)",
      "varco.yaml:7: logging.level: \"loud\" is not a log level (trace, debug, info, warn, error)",
      "varco.yaml:8: logging.colour: unknown key",
      "varco.yaml:15: products[0].environments[0].upstreams[0]: \"htp://x\" is not an http:// or "
      "https:// URL",
  };
  EXPECT_EQ(errors, expected);
}

}  // namespace
}  // namespace varco::conf::testing
