#include "tests/integration/oidc_stack.hpp"

#include "tests/support/child_process.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/redis_server.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <stdexcept>
#include <sys/wait.h>

namespace varco::integration {
namespace {

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string jwks_of(std::initializer_list<std::string> jwks) {
  std::string out = R"({"keys":[)";
  bool first = true;
  for (const auto& jwk : jwks) {
    out += (first ? "" : ",") + jwk;
    first = false;
  }
  return out + "]}";
}

bool is_callback(const std::string& location, std::uint16_t varco_port) {
  return location.rfind("http://127.0.0.1:" + std::to_string(varco_port) + "/oidc/callback", 0) ==
         0;
}

}  // namespace

std::string make_oidc_key(const fs::path& file, const std::string& use) {
  const fs::path out = file.string() + ".jwk";
  const pid_t pid = spawn_process(
      VARCO_BIN_DEFAULT, {"varco", "oidc-key", "--use", use, "--key-out", file.string()}, out, out);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("varco oidc-key failed: " + read_text(out));
  auto text = read_text(out);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

oidc_stack::oidc_stack(oidc_settings s) {
  const bool federation = s.mode == "spid";
  provider_id_ = federation ? "spid-test" : "broker";
  const auto sig = make_oidc_key(files / "rp-sig.pem", "sig");
  const auto enc = make_oidc_key(files / "rp-enc.pem", "enc");
  const auto fed = make_oidc_key(files / "rp-fed.pem", "sig");
  write_file(files / "client.jwks", jwks_of({sig, enc}));
  write_file(files / "rp-federation.jwks", jwks_of({fed}));
  write_file(files / "secret.txt", "a-client-secret-of-the-test\n");
  audit_dir = (files / "audit").string();

  // varco's URLs name its port, which the provider must know first: chosen before both start.
  const std::uint16_t varco_port = pick_free_port();
  const std::string base = "http://127.0.0.1:" + std::to_string(varco_port);
  op_process::options op_options;
  op_options.mode = federation ? "spid" : "plain";
  op_options.client_id = federation ? base : "varco";
  op_options.redirect_uris = {base + "/oidc/callback"};
  op_options.post_logout_redirect_uris = {base + "/oidc/logged-out"};
  op_options.backchannel_logout_uri = base + "/oidc/backchannel-logout";
  if (federation) {
    op_options.client_jwks = files / "client.jwks";
    op_options.federation = true;
    op_options.rp_entity_id = base;
    op_options.rp_federation_jwks = files / "rp-federation.jwks";
  } else if (s.client_auth == "private_key_jwt") {
    op_options.client_jwks = files / "client.jwks";
  } else {
    op_options.client_secret = "a-client-secret-of-the-test";
  }
  op_options.acr = s.acr;
  op_options.fiscal_number = s.fiscal_number;
  op = std::make_unique<op_process>(op_options);

  std::string provider_section;
  std::string federation_section;
  if (federation) {
    auto ready = boost::json::parse(op->ready_line()).as_object();
    const auto& anchor = ready.at("trust_anchor").as_object();
    const auto& intermediate = ready.at("intermediate").as_object();
    std::string anchor_id(anchor.at("entity_id").as_string());
    std::string anchor_jwks = boost::json::serialize(anchor.at("jwks"));
    if (s.foreign_trust_anchor) {
      // The right name, other keys: the chain's last statement does not verify.
      anchor_jwks = jwks_of({fed});
    }
    write_file(files / "ta.jwks", anchor_jwks);
    federation_section = "  federation:\n    key_file: " + (files / "rp-fed.pem").string() +
                         "\n    authority_hints: [" +
                         std::string(intermediate.at("entity_id").as_string()) +
                         "]\n    trust_anchors:\n      - {entity_id: " + anchor_id +
                         ", jwks_file: " + (files / "ta.jwks").string() +
                         "}\n    organization_name: Ente di prova\n"
                         "    contacts: [spid@ente-di-prova.it]\n" +
                         s.extra_federation;
    provider_section = "    - {id: spid-test, kind: spid, issuer: " + op->issuer() +
                       ", name: OP di prova, level: 2}\n";
  } else {
    const std::string client_auth =
        s.client_auth == "private_key_jwt"
            ? std::string("private_key_jwt")
            : "client_secret_basic, client_secret_file: " + (files / "secret.txt").string();
    provider_section = "    - {id: broker, kind: oidc, issuer: " + op->issuer() +
                       ", name: Broker di prova, client_id: varco, client_auth: " + client_auth +
                       ", claims: [https://attributes.eid.gov.it/fiscal_number, given_name]}\n";
  }
  const std::uint16_t redis_port = redis_server::shared().port();
  std::string config =
      "server:\n  listeners: [{address: 127.0.0.1, port: " + std::to_string(varco_port) +
      "}]\n  workers: 2\n  plain_http: true\n  public_base_url: " + base +
      "\nsessions:\n  store: redis\n  redis: {host: 127.0.0.1, port: " +
      std::to_string(redis_port) + ", key_prefix: 'oidc" + std::to_string(::getpid()) + "-" +
      std::to_string(varco_port) +
      ":'}\njwt: {key_file: jwt.pem, kid: oidc-integration, ttl: 10m}\n"
      "directory: {file: directory.yaml}\n"
      "oidc:\n  signing_key_file: " +
      (files / "rp-sig.pem").string() +
      "\n  encryption_key_file: " + (files / "rp-enc.pem").string() +
      "\n  audit: {directory: " + audit_dir + "}\n" + federation_section + "  providers:\n" +
      provider_section +
      "products:\n  - id: prod-pagopa\n    title: Piattaforma pagoPA\n"
      "    path_prefix: /pagopa\n    strip_path_prefix: true\n"
      "    required_party_roles: [MANAGER, OPERATOR]\n    environments:\n"
      "      - {id: collaudo, label: Ambiente di Collaudo, upstreams: [" +
      portal.url() + "], audience: pagopa-collaudo, path_prefix: /pagopa-collaudo}\n";
  const std::string directory = R"(parties:
  - {id: 9f1c2a3e-0001-4a6b-9c1d-000000000001, name: Comune di Valdoria, type: PA, fiscal_code: "80012340123"}
memberships:
  - {user: RSSMRA80A01H501U, party: 9f1c2a3e-0001-4a6b-9c1d-000000000001, product: prod-pagopa, party_role: MANAGER, product_role: admin}
)";
  varco =
      std::make_unique<varco_process>(varco_process::options{config, directory, VARCO_BIN_DEFAULT});
}

std::string oidc_stack::callback_url(test::browser& b, const std::string& query) {
  auto start =
      b.get(url("/oidc/login?provider=" + provider_id_ + (query.empty() ? "" : "&" + query)));
  if (start.status != 302)
    throw std::runtime_error("/oidc/login did not redirect (" + std::to_string(start.status) +
                             "):\n" + start.body + "\n" + varco->output());
  auto response = b.get(start.header("Location"));
  // The provider's own redirects (its interaction), then its login page, then back to varco.
  for (int step = 0; step < 12; ++step) {
    if (response.status >= 300 && response.status < 400) {
      const auto location = response.header("Location");
      if (is_callback(location, port())) return location;
      response = b.get(location, op->port());
      continue;
    }
    if (response.status != 200)
      throw std::runtime_error("the provider answered " + std::to_string(response.status) + ":\n" +
                               response.body + "\n" + op->output());
    auto forms = parse_forms(response.body);
    if (forms.empty())
      throw std::runtime_error("no form on the provider's page:\n" + response.body);
    response = b.submit(forms.front(), op->port());
  }
  throw std::runtime_error("the provider never sent the browser back:\n" + op->output());
}

std::string oidc_stack::audit_text() const {
  std::string all;
  for (const auto& entry : fs::recursive_directory_iterator(audit_dir)) {
    if (entry.is_regular_file()) all += read_text(entry.path());
  }
  return all;
}

http_response oidc_stack::login(test::browser& b, const std::string& query) {
  return b.get(callback_url(b, query));
}

}  // namespace varco::integration
