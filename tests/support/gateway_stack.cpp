#include "tests/support/gateway_stack.hpp"

#include "tests/support/test_sessions.hpp"

namespace varco::test {

std::string gateway_directory::yaml() {
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
    : options(std::move(opts)), redis(redis_server::shared()) {
  write_ec_private_key(dir / "jwt.pem");
  write_file(dir / "directory.yaml", gateway_directory::yaml());
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

std::unique_ptr<varco_process> gateway_stack::start_gateway(const std::string& name) const {
  return start_gateway_with(config_yaml(), name);
}

std::unique_ptr<varco_process> gateway_stack::start_gateway_with(const std::string& config_yaml,
                                                                 const std::string& name) const {
  varco_process::options process;
  process.config_yaml = config_yaml;
  process.shared_dir = dir.path();
  process.name = name;
  return std::make_unique<varco_process>(std::move(process));
}

std::string gateway_stack::cookie_for(const std::string& fiscal_number, const std::string& party,
                                      std::map<std::string, std::string> environments) const {
  session_spec spec;
  spec.fiscal_number = fiscal_number;
  spec.party = party;
  spec.environments = std::move(environments);
  return create_session(redis.port(), spec);
}

}  // namespace varco::test
