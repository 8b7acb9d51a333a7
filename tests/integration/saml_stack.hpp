// The login stack: the demo SPID IdP (pysaml2, an independent SAML implementation), an echo
// portal, the shared Redis and varco with a saml section, wired as in production: varco loads
// the IdP's metadata, the IdP loads varco's /saml/metadata.
#pragma once

#include "tests/support/browser.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/idp_process.hpp"
#include "tests/support/test_upstream.hpp"
#include "tests/support/varco_process.hpp"

#include <memory>
#include <string>

namespace varco::integration {

using namespace varco::test;

struct saml_settings {
  std::string binding = "redirect";  // AuthnRequest binding
  std::string store = "redis";
  bool cie = false;  // a second demo IdP configured as the CIE ID provider
  // YAML list items appended to the config's products (prod-pagopa stays first); "{portal}" is
  // the echo portal's URL.
  std::string extra_products;
  // A whole directory file replacing the default one (Mario, MANAGER of one municipality).
  std::string directory;
  std::string directory_backend = "file";  // file, memory or redis
  // Top-level YAML sections appended to the config (e.g. a support: section).
  std::string extra_config;
  // saml.spid.metadata as YAML; empty: the demo IdP's metadata file. "{idp_metadata_url}" is the
  // URL where the demo IdP serves its signed metadata, "{idp_certificate}" the certificate it
  // signs with.
  std::string spid_metadata;
  // A Redis of the test's own (to stop it); 0 = the shared one.
  std::uint16_t redis_port = 0;
};

// Demo users of demo/idp/users.json (password "password").
inline constexpr const char* mario_cf = "RSSMRA80A01H501U";   // member of the demo party
inline constexpr const char* giulia_cf = "NREGLI90D45L219R";  // member of nothing

class saml_stack {
 public:
  explicit saml_stack(saml_settings s = {});

  std::uint16_t port() const { return varco->port(); }
  std::string url(const std::string& target) const {
    return "http://127.0.0.1:" + std::to_string(port()) + target;
  }

  // /saml/login → IdP login form → the form filled for `user` with `answer` ("success" or an
  // anomaly such as "nr22") → the auto-post page. Returns the auto-post page (not yet posted).
  // `return_path` is the page the login started from (varco must land there after the ACS).
  http_response reach_idp_answer(test::browser& b, const std::string& user,
                                 const std::string& answer, int level = 2,
                                 const std::string& return_path = "/pagopa-collaudo/home");
  // The same through the CIE IdP (settings.cie), answered with success.
  http_response login_cie(test::browser& b, const std::string& user);
  // The whole login: the auto-post form submitted to the ACS. Returns the ACS answer.
  http_response login(test::browser& b, const std::string& user,
                      const std::string& answer = "success",
                      const std::string& return_path = "/pagopa-collaudo/home");

  // A second gateway instance on the same Redis (same sessions, same directory) listening on a
  // port of its own, with its own audit directory: what a scaled-out deployment runs.
  std::unique_ptr<varco_process> another_instance();

  temp_dir files;
  std::unique_ptr<idp_process> idp;
  std::unique_ptr<idp_process> cie_idp;  // only with settings.cie
  test_upstream portal;
  std::unique_ptr<varco_process> varco;
  std::string audit_dir;
  // Where this stack's varco keeps its keys (store: redis), for tests that look at Redis itself.
  std::uint16_t redis_port = 0;
  std::string redis_key_prefix;

 private:
  std::string config_yaml_;
  std::string directory_yaml_;
  std::uint16_t listen_port_ = 0;
  int instances_ = 1;
};

}  // namespace varco::integration
