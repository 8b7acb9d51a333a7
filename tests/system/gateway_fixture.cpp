#include "tests/system/gateway_fixture.hpp"

#include <boost/beast/core/string.hpp>

namespace varco::system_test {

std::string directory_yaml() {
  return R"(parties:
  - id: 9f1c2a3e-0001-4a6b-9c1d-000000000001
    name: Comune di Valdoria
    type: PA
    fiscal_code: "80012340123"
    ipa_code: c_v001
    registry:
      address: Piazza del Municipio 1
  - id: 9f1c2a3e-0002-4a6b-9c1d-000000000002
    name: Tecnopartner S.r.l.
    type: PT
    fiscal_code: "01234567890"
memberships:
  - {user: RSSMRA80A01H501U, party: 9f1c2a3e-0001-4a6b-9c1d-000000000001, product: prod-pagopa, party_role: MANAGER, product_role: admin}
  - {user: RSSMRA80A01H501U, party: 9f1c2a3e-0001-4a6b-9c1d-000000000001, product: prod-io, party_role: MANAGER, product_role: admin}
  - {user: VRDLGU85B02F205X, party: 9f1c2a3e-0001-4a6b-9c1d-000000000001, product: prod-pagopa, party_role: OPERATOR, product_role: operator}
delegations:
  - {from: 9f1c2a3e-0001-4a6b-9c1d-000000000001, to: 9f1c2a3e-0002-4a6b-9c1d-000000000002, product: prod-pagopa, since: 2025-03-14}
)";
}

gateway_stack::gateway_stack(gateway_options opts)
    : options(std::move(opts)), redis(test::redis_server::shared()) {
  write_ec_key(dir / "jwt.pem");
  write_file(dir / "directory.yaml", directory_yaml());
  gateway = start_gateway();
}

std::string gateway_stack::config_yaml() const {
  const auto& o = options;
  std::string listener =
      "{address: 127.0.0.1, port: 0" + (o.tls.empty() ? "" : ", tls: " + o.tls) + "}";
  return "server:\n"
         "  listeners: [" +
         listener +
         "]\n"
         "  workers: 2\n"
         "  plain_http: true\n"
         "  public_base_url: http://varco.test\n"
         "  limits: {header_bytes: " +
         o.header_bytes + ", body_bytes: " + o.body_bytes +
         "}\n"
         "  timeouts: {drain: " +
         o.drain + ", header_read: " + o.header_read + ", idle_keep_alive: " + o.idle_keep_alive +
         "}\n"
         "sessions:\n"
         "  store: " +
         o.store +
         "\n"
         "  redis: " +
         (o.redis_yaml.empty() ? "{host: 127.0.0.1, port: " + std::to_string(redis.port()) + "}"
                               : o.redis_yaml) +
         "\n"
         "  idle_timeout: " +
         o.idle_timeout +
         "\n"
         "  absolute_timeout: " +
         o.absolute_timeout +
         "\n"
         "  touch_interval: 100ms\n"
         "  cache_ttl: " +
         o.cache_ttl +
         "\n"
         "jwt: {key_file: jwt.pem, kid: test-key-1, ttl: 15m}\n"
         "directory: {file: directory.yaml}\n"
         "logging: {level: info, access_log: true}\n"
         "products:\n"
         "  - id: prod-pagopa\n"
         "    title: Piattaforma pagoPA\n"
         "    path_prefix: /pagopa\n"
         "    strip_path_prefix: true\n"
         "    required_party_roles: [MANAGER, DELEGATE, SUB_DELEGATE, OPERATOR]\n"
         "    path_rules: [{prefix: /admin, product_roles: [admin]}]\n"
         "    environments:\n"
         "      - {id: collaudo, label: Ambiente di Collaudo, upstreams: [" +
         pagopa_collaudo.url() +
         "], audience: pagopa-collaudo, response_timeout: " + o.response_timeout +
         "}\n"
         "      - {id: produzione, label: Ambiente di Produzione, upstreams: [" +
         pagopa_produzione.url() +
         "], audience: pagopa-produzione, path_prefix: /pagopa-produzione, party_roles: [MANAGER, "
         "DELEGATE, SUB_DELEGATE], response_timeout: " +
         o.response_timeout +
         "}\n"
         "  - id: prod-io\n"
         "    title: App IO\n"
         "    host: io.example.test\n"
         "    required_party_roles: [MANAGER]\n"
         "    claims: {token_header: Authorization, token_scheme: Bearer, replace_authorization: "
         "true}\n"
         "    environments:\n"
         "      - {id: collaudo, upstreams: [" +
         io_collaudo.url() +
         "]}\n"
         "      - {id: produzione, upstreams: [" +
         io_produzione.url() + "], host: io-produzione.example.test}\n" + o.extra_products;
}

std::unique_ptr<gateway_process> gateway_stack::start_gateway(const std::string& name) {
  return std::make_unique<gateway_process>(dir, config_yaml(), name);
}

std::string gateway_stack::cookie_for(const std::string& fiscal_number, const std::string& party,
                                      std::map<std::string, std::string> environments) {
  session_spec spec;
  spec.fiscal_number = fiscal_number;
  spec.party = party;
  spec.environments = std::move(environments);
  return create_session(redis.port(), spec);
}

header_list with_cookie(const std::string& cookie_id, header_list more) {
  more.emplace_back("Cookie", "varco_session=" + cookie_id);
  return more;
}

header_list as_api(header_list more) {
  more.emplace_back("Accept", "application/json");
  return more;
}

header_list as_browser(header_list more) {
  more.emplace_back("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
  return more;
}

echoed::echoed(const http_answer& answer) {
  const auto parsed = boost::json::parse(answer.body).as_object();
  target = std::string(parsed.at("target").as_string());
  method = std::string(parsed.at("method").as_string());
  body_bytes = static_cast<std::size_t>(parsed.at("body_bytes").to_number<std::uint64_t>());
  body_sha256 = std::string(parsed.at("body_sha256").as_string());
  for (const auto& pair : parsed.at("headers").as_array()) {
    const auto& item = pair.as_array();
    headers.emplace_back(std::string(item[0].as_string()), std::string(item[1].as_string()));
  }
}

std::vector<std::string> echoed::values(const std::string& header) const {
  std::vector<std::string> out;
  for (const auto& [name, value] : headers)
    if (boost::beast::iequals(name, header)) out.push_back(value);
  return out;
}

std::string echoed::value(const std::string& header) const {
  const auto all = values(header);
  return all.size() == 1 ? all.front() : std::string();
}

std::string json_field(const std::string& body, const std::string& name) {
  const auto parsed = boost::json::parse(body).as_object();
  const auto* value = parsed.if_contains(name);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

}  // namespace varco::system_test
