#include "tests/integration/integration_stack.hpp"

namespace varco::integration {

namespace {

// Placeholders {name} are filled by stack::config_yaml().
constexpr const char* config_template = R"(server:
  listeners: [{address: 127.0.0.1, port: 0{listener_tls}}]
  workers: 2
  plain_http: true
  public_base_url: http://varco.integration.test
  limits: {header_bytes: {header_bytes}, body_bytes: {body_bytes}}
  timeouts: {drain: {drain}, header_read: 10s, idle_keep_alive: 60s}
sessions:
  store: {store}
  redis: {host: 127.0.0.1, port: {redis_port}}
  idle_timeout: {idle_timeout}
  absolute_timeout: {absolute_timeout}
  touch_interval: 100ms
  cache_ttl: {cache_ttl}
jwt: {key_file: jwt.pem, kid: integration-key, ttl: 10m}
directory: {file: directory.yaml}
logging: {level: info, access_log: true}
{portal}
products:
  - id: prod-pagopa
    title: Piattaforma pagoPA
    path_prefix: /pagopa
    strip_path_prefix: true
    required_party_roles: [MANAGER, DELEGATE, SUB_DELEGATE, OPERATOR]
    path_rules: [{prefix: /admin, product_roles: [admin]}]
    environments:
      - {id: collaudo, label: Ambiente di Collaudo, upstreams: [{pagopa_collaudo}], audience: pagopa-collaudo, response_timeout: {response_timeout}}
      - {id: produzione, label: Ambiente di Produzione, upstreams: [{pagopa_produzione}], audience: pagopa-produzione, path_prefix: /pagopa-produzione, party_roles: [MANAGER, DELEGATE, SUB_DELEGATE], response_timeout: {response_timeout}}
  - id: prod-fatture
    title: Fatturazione
    path_prefix: /pagopa/fatture
    required_party_roles: [MANAGER]
    environments:
      - {id: collaudo, upstreams: [{fatture}], audience: fatture-collaudo}
  - id: prod-io
    title: App IO
    host: io.example.test
    required_party_roles: [MANAGER]
    claims: {token_header: Authorization, token_scheme: Bearer, replace_authorization: true}
    environments:
      - {id: collaudo, upstreams: [{io_collaudo}], audience: io-collaudo}
      - {id: produzione, upstreams: [{io_produzione}], audience: io-produzione, host: io-produzione.example.test}
{extra_products})";

}  // namespace

std::string directory_yaml() {
  return R"(parties:
  - id: 7a0e8c4e-0001-4c1d-8a3b-000000000001
    name: Comune di Roccaverde
    type: PA
    fiscal_code: "80098760123"
    ipa_code: c_r001
  - id: 7a0e8c4e-0002-4c1d-8a3b-000000000002
    name: Servizi Digitali S.p.A.
    type: PT
    fiscal_code: "09876543210"
users:
  - fiscal_number: BNCLRA70C41H501Z
    name: Laura
    family_name: Bianchi
    work_emails: {7a0e8c4e-0001-4c1d-8a3b-000000000001: l.bianchi@comune.roccaverde.example}
memberships:
  - {user: BNCLRA70C41H501Z, party: 7a0e8c4e-0001-4c1d-8a3b-000000000001, product: prod-pagopa, party_role: MANAGER, product_role: admin}
  - {user: BNCLRA70C41H501Z, party: 7a0e8c4e-0001-4c1d-8a3b-000000000001, product: prod-fatture, party_role: MANAGER, product_role: admin}
  - {user: BNCLRA70C41H501Z, party: 7a0e8c4e-0001-4c1d-8a3b-000000000001, product: prod-io, party_role: MANAGER, product_role: admin}
  - {user: BNCLRA70C41H501Z, party: 7a0e8c4e-0001-4c1d-8a3b-000000000001, product: prod-nuovo, party_role: MANAGER, product_role: admin}
  - {user: VRDGPP75D12F205K, party: 7a0e8c4e-0001-4c1d-8a3b-000000000001, product: prod-pagopa, party_role: OPERATOR, product_role: operator}
)";
}

stack::stack(settings s) : config(std::move(s)) {
  if (config.redis_port == 0) config.redis_port = redis_server::shared().port();
  varco = start_varco();
}

std::string stack::config_yaml() const {
  return fill_placeholders(config_template, {
                                                {"{listener_tls}", config.listener_tls},
                                                {"{header_bytes}", config.header_bytes},
                                                {"{body_bytes}", config.body_bytes},
                                                {"{drain}", config.drain},
                                                {"{store}", config.store},
                                                {"{redis_port}", std::to_string(config.redis_port)},
                                                {"{idle_timeout}", config.idle_timeout},
                                                {"{absolute_timeout}", config.absolute_timeout},
                                                {"{cache_ttl}", config.cache_ttl},
                                                {"{response_timeout}", config.response_timeout},
                                                {"{pagopa_collaudo}", pagopa_collaudo.url()},
                                                {"{pagopa_produzione}", pagopa_produzione.url()},
                                                {"{fatture}", fatture.url()},
                                                {"{io_collaudo}", io_collaudo.url()},
                                                {"{io_produzione}", io_produzione.url()},
                                                {"{extra_products}", config.extra_products},
                                                {"{portal}", config.portal},
                                            });
}

std::unique_ptr<varco_process> stack::start_varco() const {
  return std::make_unique<varco_process>(
      varco_process::options{config_yaml(), directory_yaml(), VARCO_BIN_DEFAULT});
}

std::string stack::session_for(const std::string& fiscal_number, const std::string& party,
                               std::map<std::string, std::string> environments) const {
  session_spec spec;
  spec.fiscal_number = fiscal_number;
  spec.party = party;
  spec.environments = std::move(environments);
  return create_session(config.redis_port, spec);
}

}  // namespace varco::integration
