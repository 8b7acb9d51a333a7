#include "tests/integration/saml_stack.hpp"

#include "tests/support/idp_login.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/redis_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string_view>
#include <unistd.h>

namespace varco::integration {
namespace {
std::atomic<int> stacks_made{0};
}  // namespace

saml_stack::saml_stack(saml_settings s) {
  idp = std::make_unique<idp_process>(idp_process::options{files / "sp-metadata.xml"});
  std::string cie_section;
  if (s.cie) {
    // The demo IdP plays CIE ID: it reads the CIE variant of varco's metadata.
    cie_idp = std::make_unique<idp_process>(
        idp_process::options{files / "sp-metadata-cie.xml", "CIE di prova"});
    cie_section = "  municipality: H501\n  cie:\n    metadata: [" +
                  cie_idp->metadata_file().string() +
                  "]\n    attribute_service: 1\n    comparison: minimum\n";
  }
  const std::string testdata = VARCO_SAML_TESTDATA;
  audit_dir = (files / "audit").string();
  // Every stack its own keys: the Redis server may be shared by the whole test run.
  redis_port = s.redis_port != 0 ? s.redis_port : redis_server::shared().port();
  redis_key_prefix = "it" + std::to_string(::getpid()) + "-" + std::to_string(++stacks_made) + ":";
  std::string config = R"(server:
  listeners: [{address: 127.0.0.1, port: {port}}]
  workers: 2
  plain_http: true
  public_base_url: http://127.0.0.1:{port}
sessions:
  store: {store}
  redis: {host: 127.0.0.1, port: {redis_port}, key_prefix: '{key_prefix}'}
jwt: {key_file: jwt.pem, kid: saml-integration, ttl: 10m}
directory: {file: directory.yaml, backend: {directory_backend}}
saml:
  key_file: {testdata}/sp.key
  certificate_file: {testdata}/sp.crt
  organization:
    name: {it: Ente di prova, en: Test body}
    display_name: {it: Ente di prova, en: Test body}
    url: {it: 'http://127.0.0.1:{port}', en: 'http://127.0.0.1:{port}/en'}
  contact: {email: spid@ente-di-prova.it, telephone: '+390600000000'}
  ipa_code: c_t001
  attribute_services:
    - {index: 0, name: Area Riservata, attributes: [name, familyName, fiscalNumber, email]}
    - {index: 1, name: Area Riservata CIE, attributes: [name, familyName, dateOfBirth, fiscalNumber]}
  spid:
    metadata: [{idp_metadata}]
    binding: {binding}
{cie_section}  audit: {directory: {audit}}
products:
  - id: prod-pagopa
    title: Piattaforma pagoPA
    path_prefix: /pagopa
    strip_path_prefix: true
    required_party_roles: [MANAGER, OPERATOR]
    environments:
      - {id: collaudo, label: Ambiente di Collaudo, upstreams: [{portal}], audience: pagopa-collaudo, path_prefix: /pagopa-collaudo}
)";
  config += s.extra_products;
  config += s.extra_config;
  if (!s.spid_metadata.empty())
    config = replace_all(std::move(config), "metadata: [{idp_metadata}]",
                         "metadata: " + s.spid_metadata);
  config = fill_placeholders(
      std::move(config),
      {
          {"{store}", s.store},
          {"{directory_backend}", s.directory_backend},
          {"{key_prefix}", redis_key_prefix},
          {"{redis_port}", std::to_string(redis_port)},
          {"{testdata}", testdata},
          {"{idp_metadata}", idp->metadata_file().string()},
          {"{idp_metadata_url}", "http://127.0.0.1:" + std::to_string(idp->port()) + "/metadata"},
          {"{idp_certificate}",
           (idp_process::source_dir() / "demo/idp/demo-idp-cert.pem").string()},
          {"{binding}", s.binding},
          {"{audit}", audit_dir},
          {"{portal}", portal.url()},
          {"{cie_section}", cie_section},
      });
  std::string directory = R"(parties:
  - {id: 9f1c2a3e-0001-4a6b-9c1d-000000000001, name: Comune di Valdoria, type: PA, fiscal_code: "80012340123"}
memberships:
  - {user: RSSMRA80A01H501U, party: 9f1c2a3e-0001-4a6b-9c1d-000000000001, product: prod-pagopa, party_role: MANAGER, product_role: admin}
)";
  if (!s.directory.empty()) directory = s.directory;
  // The port is in the SP's URLs, so it is chosen before varco starts. Another process may take
  // it in between (tests run in parallel): varco then refuses to start (listen_failed) and the
  // stack tries another port.
  for (int attempt = 1;; ++attempt) {
    const std::uint16_t varco_port = pick_free_port();
    const std::string with_port = replace_all(config, "{port}", std::to_string(varco_port));
    try {
      varco = std::make_unique<varco_process>(
          varco_process::options{with_port, directory, VARCO_BIN_DEFAULT});
    } catch (const std::runtime_error& e) {
      if (attempt < 3 && std::string_view(e.what()).find("listen_failed") != std::string_view::npos)
        continue;
      throw;
    }
    config_yaml_ = with_port;
    listen_port_ = varco_port;
    break;
  }
  directory_yaml_ = directory;
  // The IdP reads the SP metadata lazily: publish it now that varco serves it.
  auto metadata = http_get(varco->port(), "/saml/metadata");
  if (metadata.status != 200) {
    throw std::runtime_error("no SP metadata: " + std::to_string(metadata.status) + "\n" +
                             varco->output());
  }
  write_file(files / "sp-metadata.xml", metadata.body);
  if (s.cie) {
    auto cie_metadata = http_get(varco->port(), "/saml/metadata/cie");
    if (cie_metadata.status != 200) throw std::runtime_error("no CIE SP metadata");
    write_file(files / "sp-metadata-cie.xml", cie_metadata.body);
  }
}

std::unique_ptr<varco_process> saml_stack::another_instance() {
  const std::string listener = "port: " + std::to_string(listen_port_) + "}]";
  std::string config =
      replace_all(config_yaml_, listener, "port: " + std::to_string(pick_free_port()) + "}]");
  const std::string own_audit = (files / ("audit-" + std::to_string(++instances_))).string();
  fs::create_directories(own_audit);
  config = replace_all(std::move(config), "audit: {directory: " + audit_dir + "}",
                       "audit: {directory: " + own_audit + "}");
  return std::make_unique<varco_process>(
      varco_process::options{config, directory_yaml_, VARCO_BIN_DEFAULT});
}

http_response saml_stack::login_cie(test::browser& b, const std::string& user) {
  auto start = b.get(url("/saml/login?idp=" + replace_all(cie_idp->entity_id(), ":", "%3A")));
  if (start.status != 302) throw std::runtime_error("CIE login did not redirect:\n" + start.body);
  auto at_idp = b.get(start.header("Location"));
  if (at_idp.status != 200) {
    throw std::runtime_error("CIE IdP refused the AuthnRequest:\n" + at_idp.body + "\n" +
                             cie_idp->output());
  }
  return post_saml_response(b, answer_idp_login(b, at_idp, user, "success", *cie_idp), *cie_idp);
}

http_response saml_stack::reach_idp_answer(test::browser& b, const std::string& user,
                                           const std::string& answer, int level,
                                           const std::string& return_path) {
  auto start =
      b.get(url("/saml/login?idp=" + replace_all(idp->entity_id(), ":", "%3A") +
                "&level=" + std::to_string(level) + "&" + form_encode({{"return", return_path}})));
  http_response at_idp;
  if (start.status == 302) {
    at_idp = b.get(start.header("Location"));
  } else {
    // POST binding: an auto-submitting form to the IdP.
    EXPECT_EQ(start.status, 200u) << start.body;
    auto forms = parse_forms(start.body);
    if (forms.empty()) throw std::runtime_error("no AuthnRequest form:\n" + start.body);
    at_idp = b.submit(forms.front(), port());
  }
  if (at_idp.status != 200) {
    throw std::runtime_error("IdP refused the AuthnRequest (" + std::to_string(at_idp.status) +
                             "):\n" + at_idp.body + "\n" + idp->output());
  }
  return answer_idp_login(b, at_idp, user, answer, *idp);
}

http_response saml_stack::login(test::browser& b, const std::string& user,
                                const std::string& answer, const std::string& return_path) {
  return post_saml_response(b, reach_idp_answer(b, user, answer, 2, return_path), *idp);
}

}  // namespace varco::integration
