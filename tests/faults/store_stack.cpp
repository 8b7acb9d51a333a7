#include "tests/faults/store_stack.hpp"

#include "session/session_id.hpp"
#include "tests/support/echoed.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/idp_login.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/test_sessions.hpp"

#include <stdexcept>
#include <string_view>

namespace varco::faults {

namespace {

std::string directory_yaml() {
  return std::string("parties:\n  - {id: ") + party_id +
         ", name: Comune di Valdoria, type: PA, fiscal_code: \"80012340123\"}\n"
         "memberships:\n"
         "  - {user: " +
         mario_cf + ", party: " + party_id +
         ", product: prod-pagopa, party_role: MANAGER, product_role: admin}\n"
         "  - {user: " +
         mario_cf + ", party: " + party_id +
         ", product: prod-trap, party_role: MANAGER, product_role: admin}\n"
         "  - {user: " +
         mario_cf + ", party: " + party_id +
         ", product: prod-slow, party_role: MANAGER, product_role: admin}\n";
}

// The SAML section: the SP key and certificate of the unit tests' test data, the demo IdP's
// metadata, and an audit directory per instance (each instance appends its own log).
constexpr const char* saml_template = R"(saml:
  key_file: {testdata}/sp.key
  certificate_file: {testdata}/sp.crt
  organization:
    name: {it: Ente di prova, en: Test body}
    display_name: {it: Ente di prova, en: Test body}
    url: {it: 'http://127.0.0.1:{first_port}', en: 'http://127.0.0.1:{first_port}/en'}
  contact: {email: spid@ente-di-prova.it, telephone: '+390600000000'}
  ipa_code: c_t001
  attribute_services:
    - {index: 0, name: Area Riservata, attributes: [name, familyName, fiscalNumber, email]}
  spid:
    metadata: [{idp_metadata}]
    binding: redirect
  audit: {directory: {audit}}
)";

// Load loops start logins from one address far faster than a person: the limits (tested in
// tests/integration/rate_limits_test.cpp) are off here so every answer is about the store.
constexpr const char* config_template = R"(server:
  listeners: [{address: 127.0.0.1, port: {port}}]
  workers: 2
  plain_http: true
  public_base_url: http://127.0.0.1:{first_port}
  timeouts: {drain: {drain}}
sessions:
  store: redis
  redis: {host: 127.0.0.1, port: {redis_port}, reconnect_max: 1s}
  cache_ttl: {cache_ttl}
jwt: {key_file: jwt.pem, kid: store-faults, ttl: 10m}
directory: {file: directory.yaml}
rate_limits:
  login: {requests: 0, window: 1m}
  login_per_idp: {requests: 0, window: 1m}
  acs: {requests: 0, window: 1m}
  forms: {requests: 0, window: 1m}
logging: {level: info, access_log: false}
{saml}products:
  - id: prod-pagopa
    title: Piattaforma pagoPA
    path_prefix: /pagopa
    strip_path_prefix: true
    required_party_roles: [MANAGER]
    environments:
      - {id: collaudo, label: Ambiente di Collaudo, upstreams: [{portal}], audience: pagopa-collaudo, path_prefix: /pagopa-collaudo, response_timeout: {response_timeout}}
  - id: prod-trap
    title: Trappola
    path_prefix: /trap
    strip_path_prefix: true
    required_party_roles: [MANAGER]
    environments:
      - {id: collaudo, upstreams: [{trap}], response_timeout: {response_timeout}}
  - id: prod-slow
    title: Lento
    path_prefix: /slow
    strip_path_prefix: true
    required_party_roles: [MANAGER]
    environments:
      - {id: collaudo, upstreams: [{slow}], response_timeout: {response_timeout}}
)";

}  // namespace

store_stack::store_stack(stack_settings s) : settings(std::move(s)) {
  redis_server::options redis_options;
  redis_options.append_only_dir = settings.append_only_dir;
  redis_options.appendfsync = settings.appendfsync;
  redis = std::make_unique<redis_server>(redis_options);
  if (settings.saml)
    idp = std::make_unique<idp_process>(idp_process::options{files / "sp-metadata.xml"});
  audit_dir_ = (files / "audit-1").string();
  fs::create_directories(audit_dir_);
  // The port is in the SP's URLs, so it is chosen before varco starts; taken in between by a
  // parallel test, varco refuses to start (listen_failed) and another port is tried.
  for (int attempt = 1;; ++attempt) {
    first_port_ = pick_free_port();
    try {
      varco = std::make_unique<varco_process>(varco_process::options{
          config_yaml(first_port_, audit_dir_), directory_yaml(), VARCO_BIN_DEFAULT});
      break;
    } catch (const std::runtime_error& e) {
      if (attempt < 3 && std::string_view(e.what()).find("listen_failed") != std::string_view::npos)
        continue;
      throw;
    }
  }
  if (settings.saml) {
    // The IdP reads the SP metadata lazily: publish it now that varco serves it.
    auto metadata = http_get(varco->port(), "/saml/metadata");
    if (metadata.status != 200)
      throw std::runtime_error("no SP metadata (" + std::to_string(metadata.status) + ")\n" +
                               varco->output());
    write_file(files / "sp-metadata.xml", metadata.body);
  }
}

std::string store_stack::config_yaml(std::uint16_t port, const std::string& audit_dir) const {
  std::string saml;
  if (settings.saml) {
    saml = replace_all(saml_template, "{testdata}", VARCO_SAML_TESTDATA);
    saml = replace_all(std::move(saml), "{idp_metadata}", idp->metadata_file().string());
    saml = replace_all(std::move(saml), "{audit}", audit_dir);
  }
  std::string config = replace_all(config_template, "{saml}", saml);
  config += settings.extra_products;
  return fill_placeholders(std::move(config), {
                                                  {"{port}", std::to_string(port)},
                                                  {"{first_port}", std::to_string(first_port_)},
                                                  {"{drain}", settings.drain},
                                                  {"{redis_port}", std::to_string(redis->port())},
                                                  {"{cache_ttl}", settings.cache_ttl},
                                                  {"{response_timeout}", settings.response_timeout},
                                                  {"{portal}", portal.url()},
                                                  {"{trap}", trap.url()},
                                                  {"{slow}", slow.url()},
                                              });
}

std::unique_ptr<varco_process> store_stack::another_instance() {
  const std::string audit_dir = (files / ("audit-" + std::to_string(++instances_))).string();
  fs::create_directories(audit_dir);
  return std::make_unique<varco_process>(
      varco_process::options{config_yaml(0, audit_dir), directory_yaml(), VARCO_BIN_DEFAULT});
}

std::string store_stack::create_session() const {
  session_spec spec;
  spec.fiscal_number = mario_cf;
  spec.party = party_id;
  spec.environments = {
      {"prod-pagopa", "collaudo"}, {"prod-trap", "collaudo"}, {"prod-slow", "collaudo"}};
  return test::create_session(redis->port(), spec);
}

std::string store_stack::login_start_target() const {
  return "/saml/login?idp=" + replace_all(idp->entity_id(), ":", "%3A") + "&level=2&" +
         form_encode({{"return", "/pagopa-collaudo/home"}});
}

http_response store_stack::login(browser& b, std::uint16_t at) {
  const std::string base = "http://127.0.0.1:" + std::to_string(at);
  auto start = b.get(base + login_start_target());
  if (start.status != 302)
    throw std::runtime_error("login did not start (" + std::to_string(start.status) + "):\n" +
                             start.body);
  auto at_idp = b.get(start.header("Location"));
  return post_saml_response(b, answer_idp_login(b, at_idp, mario_cf, "success", *idp), *idp);
}

bool store_stack::store_up_everywhere(std::uint16_t port, std::chrono::milliseconds deadline) {
  return eventually(
      [&] {
        return http_get(port, "/metrics").body.find("varco_session_store_up 2") !=
               std::string::npos;
      },
      deadline, 20ms);
}

header_list api_cookie(const std::string& cookie_id) { return as_api(with_cookie(cookie_id)); }

header_list browser_cookie(const std::string& cookie_id) {
  return as_browser(with_cookie(cookie_id));
}

std::string unknown_session_id() { return session::new_session_id(); }

std::string echoed_header(const http_response& response, const std::string& name) {
  const auto seen = echoed::parse(response.body);
  return seen ? seen->value(name) : std::string();
}

}  // namespace varco::faults
