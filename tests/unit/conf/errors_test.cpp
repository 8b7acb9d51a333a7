// A table of broken configs, each with the one exact error it must produce.
#include "tests/unit/conf/conf_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::conf::testing {
namespace {

struct broken_case {
  const char* name;
  std::string yaml;
  std::string error;  // the whole "file:line: message"
};

// Lines 1-10 are the valid minimal config; each case's extra text starts at line 11.
std::string with(const std::string& extra) {
  return std::string(minimal_jwt) + minimal_products + extra;
}

// jwt on lines 1-3, then a products section starting at line 4.
std::string products(const std::string& section) { return std::string(minimal_jwt) + section; }

const broken_case cases[] = {
    {"unknown top-level key", with("sever:\n  workers: 1\n"),
     "varco.yaml:11: sever: unknown key (did you mean server?)"},
    {"unknown nested key", with("server:\n  limits:\n    header_byte: 1KiB\n"),
     "varco.yaml:13: server.limits.header_byte: unknown key (did you mean header_bytes?)"},
    {"duplicate key", with("logging:\n  level: info\n  level: debug\n"),
     "varco.yaml:13: logging.level: duplicate key"},
    {"wrong type integer", with("server:\n  workers: many\n"),
     "varco.yaml:12: server.workers: expected an integer, got \"many\""},
    {"wrong type mapping", with("server: [1, 2]\n"),
     "varco.yaml:11: server: expected a mapping, got a list"},
    {"wrong type bool", with("server:\n  plain_http: yes please\n"),
     "varco.yaml:12: server.plain_http: expected true or false, got \"yes please\""},
    {"bad duration", with("server:\n  timeouts:\n    drain: 20x\n"),
     "varco.yaml:13: server.timeouts.drain: \"20x\" is not a duration (e.g. 250ms, 10s, 15m, 8h, "
     "1d)"},
    {"zero timeout", with("server:\n  timeouts:\n    header_read: 0s\n"),
     "varco.yaml:13: server.timeouts.header_read: must be greater than 0"},
    {"bad size", with("server:\n  limits:\n    body_bytes: 10MB\n"),
     "varco.yaml:13: server.limits.body_bytes: \"10MB\" is not a size (e.g. 512, 16KiB, 10MiB, "
     "1GiB)"},
    {"port out of range",
     with("server:\n  listeners:\n    - address: 127.0.0.1\n      port: 70000\n"),
     "varco.yaml:14: server.listeners[0].port: 70000 is out of range 0..65535"},
    {"listener address", with("server:\n  listeners:\n    - address: localhost\n"),
     "varco.yaml:13: server.listeners[0].address: \"localhost\" is not an IP address"},
    {"missing tls key", with("server:\n  listeners:\n    - tls: { certificate: jwt.pem }\n"),
     "varco.yaml:13: server.listeners[0].tls.key: is required"},
    {"base url trailing slash", with("server:\n  public_base_url: http://x.it/\n"),
     "varco.yaml:12: server.public_base_url: \"http://x.it/\" is not an absolute http:// or "
     "https:// URL without a trailing slash, query or fragment"},
    {"trusted proxy host bits", with("server:\n  trusted_proxies: [10.0.0.0/8, 10.0.0.1/8]\n"),
     "varco.yaml:12: server.trusted_proxies[1]: \"10.0.0.1/8\" is not a CIDR with no host bits "
     "set (e.g. 10.0.0.0/8, fd00::/8, 192.0.2.7)"},
    {"session store", with("sessions:\n  store: mongo\n"),
     "varco.yaml:12: sessions.store: \"mongo\" is not a session store (memory or redis)"},
    {"idle above absolute", with("sessions:\n  idle_timeout: 9h\n  absolute_timeout: 8h\n"),
     "varco.yaml:12: sessions.idle_timeout: 9h is longer than absolute_timeout 8h"},
    {"redis password twice",
     with("sessions:\n  redis:\n    password: x\n    password_file: jwt.pem\n"),
     "varco.yaml:14: sessions.redis.password_file: give either password or password_file, not "
     "both"},
    {"redis port zero", with("sessions:\n  redis: { port: 0 }\n"),
     "varco.yaml:12: sessions.redis.port: 0 is out of range 1..65535"},
    {"log level", with("logging:\n  level: verbose\n"),
     "varco.yaml:12: logging.level: \"verbose\" is not a log level (trace, debug, info, warn, "
     "error)"},
    {"claim outside namespace", with("claims:\n  headers:\n    party_id: X-Other-Party\n"),
     "varco.yaml:13: claims.headers.party_id: \"X-Other-Party\" is outside header_namespace "
     "\"X-Varco-\" (clients could send it)"},
    {"reserved token header", with("claims:\n  token_header: Cookie\n"),
     "varco.yaml:12: claims.token_header: \"Cookie\" is a reserved header and cannot carry claims"},
    {"hop-by-hop claim header", with("claims:\n  headers:\n    user_name: Connection\n"),
     "varco.yaml:13: claims.headers.user_name: \"Connection\" is a reserved header and cannot "
     "carry claims"},
    {"claim header not a token", with("claims:\n  headers:\n    user_name: \"X-Varco Name\"\n"),
     "varco.yaml:13: claims.headers.user_name: \"X-Varco Name\" is not a valid HTTP header name"},
    {"unknown claim", with("claims:\n  headers:\n    user_mail: X-Varco-Mail\n"),
     "varco.yaml:13: claims.headers.user_mail: unknown key (did you mean user_email?)"},
    {"two claims one header", with("claims:\n  headers:\n    user_name: X-Varco-Product\n"),
     "varco.yaml:13: claims.headers.user_name: \"X-Varco-Product\" is also the header of "
     "product"},
    {"missing jwt key",
     "jwt:\n  key_file: missing.pem\n  kid: k1\n" + std::string(minimal_products),
     "varco.yaml:2: jwt.key_file: cannot read \"missing.pem\": No such file or directory"},
    {"jwt key not a key",
     "jwt:\n  key_file: varco.yaml\n  kid: k1\n" + std::string(minimal_products),
     "varco.yaml:2: jwt.key_file: \"varco.yaml\" is not a PEM EC P-256 private key (unencrypted)"},
    {"jwt key on P-384", "jwt:\n  key_file: p384.pem\n  kid: k1\n" + std::string(minimal_products),
     "varco.yaml:2: jwt.key_file: \"p384.pem\" is not a PEM EC P-256 private key (unencrypted)"},
    {"jwt previous key private",
     "jwt:\n  key_file: jwt.pem\n  kid: k1\n  previous_public_keys: [p384.pem]\n" +
         std::string(minimal_products),
     "varco.yaml:4: jwt.previous_public_keys[0]: \"p384.pem\" is not a PEM EC P-256 public key"},
    {"jwt kid empty", "jwt:\n  key_file: jwt.pem\n  kid: ''\n" + std::string(minimal_products),
     "varco.yaml:3: jwt.kid: must not be empty"},
    {"directory file missing", with("directory:\n  file: dir.yaml\n"),
     "varco.yaml:12: directory.file: cannot read \"dir.yaml\": No such file or directory"},
    {"bad upstream url",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /p\n    environments:\n"
              "      - id: e\n        upstreams: [http://ok, htp://x]\n"),
     "varco.yaml:10: products[0].environments[0].upstreams[1]: \"htp://x\" is not an http:// or "
     "https:// URL"},
    {"no upstream",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /p\n    environments:\n"
              "      - id: e\n        label: E\n"),
     "varco.yaml:9: products[0].environments[0].upstreams: a proxied environment needs at least "
     "one upstream URL"},
    {"redirect without token",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /p\n    environments:\n"
              "      - id: e\n        mode: redirect\n        redirect_url: https://x.it/?t=1\n"),
     "varco.yaml:11: products[0].environments[0].redirect_url: \"https://x.it/?t=1\" must contain "
     "{token} (in the fragment)"},
    {"redirect token in the query",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /p\n    environments:\n"
              "      - id: e\n        mode: redirect\n"
              "        redirect_url: 'https://x.it/?t={token}#x'\n"),
     "varco.yaml:11: products[0].environments[0].redirect_url: \"https://x.it/?t={token}#x\" must "
     "put {token} in the fragment (after '#'), never in the path or query"},
    {"redirect unknown placeholder",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /p\n    environments:\n"
              "      - id: e\n        mode: redirect\n"
              "        redirect_url: 'https://x.it/#t={token}&u={user}'\n"),
     "varco.yaml:11: products[0].environments[0].redirect_url: "
     "\"https://x.it/#t={token}&u={user}\" "
     "uses {user}, not a placeholder ({token}, {lang}, {party}, {product})"},
    {"redirect token_ttl too long",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /p\n    environments:\n"
              "      - id: e\n        mode: redirect\n        token_ttl: 1h\n"
              "        redirect_url: 'https://x.it/#t={token}'\n"),
     "varco.yaml:11: products[0].environments[0].token_ttl: must be at most 300s (the token only "
     "has to reach the portal's page)"},
    {"token_ttl on a proxied environment",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /p\n    environments:\n"
              "      - id: e\n        upstreams: [http://x]\n        token_ttl: 30s\n"),
     "varco.yaml:11: products[0].environments[0].token_ttl: is used only with mode: redirect"},
    {"bad mode",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /p\n    environments:\n"
              "      - id: e\n        mode: mirror\n        upstreams: [http://x]\n"),
     "varco.yaml:10: products[0].environments[0].mode: \"mirror\" is not a mode (proxied or "
     "redirect)"},
    {"trailing slash prefix",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /p/\n    environments:\n"
              "      - id: e\n        upstreams: [http://x]\n"),
     "varco.yaml:7: products[0].path_prefix: \"/p/\" must not end with '/'"},
    {"dot segment prefix",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /a/../b\n    environments:\n"
              "      - id: e\n        upstreams: [http://x]\n"),
     "varco.yaml:7: products[0].path_prefix: \"/a/../b\" must not contain \".\" or \"..\" "
     "segments"},
    {"double slash prefix",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /a//b\n    environments:\n"
              "      - id: e\n        upstreams: [http://x]\n"),
     "varco.yaml:7: products[0].path_prefix: \"/a//b\" must not contain \"//\""},
    {"no route",
     products("products:\n  - id: p\n    title: P\n    environments:\n"
              "      - id: e\n        upstreams: [http://x]\n"),
     "varco.yaml:5: products[0]: needs a host and/or a path_prefix to route to it"},
    {"host with port",
     products("products:\n  - id: p\n    title: P\n    host: a.it:443\n    environments:\n"
              "      - id: e\n        upstreams: [http://x]\n"),
     "varco.yaml:7: products[0].host: \"a.it:443\" must be a host name without a port"},
    {"no environments", products("products:\n  - id: p\n    title: P\n    path_prefix: /p\n"),
     "varco.yaml:5: products[0].environments: is required (at least one environment)"},
    {"empty environments",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /p\n    environments: []\n"),
     "varco.yaml:8: products[0].environments: must list at least one environment"},
    {"duplicate environment",
     products(
         "products:\n  - id: p\n    title: P\n    path_prefix: /p\n    environments:\n"
         "      - { id: e, upstreams: [http://x] }\n      - { id: e, upstreams: [http://y] }\n"),
     "varco.yaml:10: products[0].environments[1].id: \"e\" is already an environment of this "
     "product"},
    {"duplicate product id",
     products("products:\n"
              "  - { id: p, title: P, path_prefix: /p, environments: [{ id: e, upstreams: "
              "[http://x] }] }\n"
              "  - { id: p, title: Q, path_prefix: /q, environments: [{ id: e, upstreams: "
              "[http://x] }] }\n"),
     "varco.yaml:6: products[1].id: \"p\" is already a product id"},
    {"duplicate route",
     products("products:\n"
              "  - { id: p, title: P, path_prefix: /p, environments: [{ id: e, upstreams: "
              "[http://x] }] }\n"
              "  - { id: q, title: Q, path_prefix: /p, environments: [{ id: e, upstreams: "
              "[http://x] }] }\n"),
     "varco.yaml:6: products[1]: route (host \"\", path_prefix \"/p\") is already used by "
     "products[0]"},
    {"pinned environment route clash",
     products(
         "products:\n"
         "  - { id: p, title: P, host: a.it, environments: [{ id: e, upstreams: [http://x] }] }\n"
         "  - { id: q, title: Q, path_prefix: /q, environments: [{ id: e, host: a.it, upstreams: "
         "[http://x] }] }\n"),
     "varco.yaml:6: products[1].environments[0]: route (host \"a.it\", path_prefix \"\") is "
     "already used by products[0]"},
    {"bad party role",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /p\n"
              "    required_party_roles: [MANAGER, BOSS]\n    environments:\n"
              "      - id: e\n        upstreams: [http://x]\n"),
     "varco.yaml:8: products[0].required_party_roles[1]: \"BOSS\" is not a party role (MANAGER, "
     "DELEGATE, SUB_DELEGATE, OPERATOR, ADMIN_EA)"},
    {"pool size zero",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /p\n    environments:\n"
              "      - id: e\n        upstreams: [http://x]\n        pool_size: 0\n"),
     "varco.yaml:11: products[0].environments[0].pool_size: 0 is out of range 1..100000"},
    {"environment timeout zero",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /p\n    environments:\n"
              "      - id: e\n        upstreams: [http://x]\n        response_timeout: 0\n"),
     "varco.yaml:11: products[0].environments[0].response_timeout: must be greater than 0"},
    {"empty product title",
     products("products:\n  - id: p\n    title: ''\n    path_prefix: /p\n    environments:\n"
              "      - id: e\n        upstreams: [http://x]\n"),
     "varco.yaml:6: products[0].title: must not be empty"},
    {"product claims outside namespace",
     products("products:\n  - id: p\n    title: P\n    path_prefix: /p\n    claims:\n"
              "      headers: { party_role: X-Role }\n    environments:\n"
              "      - id: e\n        upstreams: [http://x]\n"),
     "varco.yaml:9: products[0].claims.headers.party_role: \"X-Role\" is outside header_namespace "
     "\"X-Varco-\" (clients could send it)"},
};

class broken_config : public conf_fixture, public ::testing::WithParamInterface<broken_case> {};

TEST_P(broken_config, reports_exactly_its_error) {
  write_ec_key("p384.pem", "P-384");
  auto errors = errors_of(GetParam().yaml);
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_EQ(errors[0], GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(table, broken_config, ::testing::ValuesIn(cases), [](const auto& info) {
  std::string name = info.param.name;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
});

}  // namespace
}  // namespace varco::conf::testing
