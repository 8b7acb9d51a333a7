// varco-login-load (bench/login_load), run as bench/login runs it but for a handful of logins, so
// the benchmark cannot rot: its IdP metadata is accepted by varco, every login succeeds over both
// AuthnRequest bindings, and the first proxied request carries the user's identity to the
// upstream. Timings are bench/login's business, never asserted here.
#include "tests/support/child_process.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/test_files.hpp"
#include "tests/support/test_upstream.hpp"
#include "tests/support/varco_process.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace varco::integration {
namespace {

using test::fs::path;

const std::string testdata = VARCO_SAML_TESTDATA;
constexpr const char* idp_entity = "https://idp.login-load.example.it";

// Runs varco-login-load with `args` and `extra` (after the IdP's); its exit status, its output in
// `out`.
int run_load(const std::vector<std::string>& args, const path& out,
             const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {"varco-login-load"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.insert(argv.end(), {"--idp-key", testdata + "/idp.key", "--idp-cert", testdata + "/idp.crt",
                           "--entity-id", idp_entity});
  const pid_t pid = test::spawn_process(VARCO_LOGIN_LOAD_BIN, argv, out, out);
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string config(std::uint16_t port, const std::string& binding, const path& dir,
                   std::uint16_t upstream_port) {
  return test::fill_placeholders(
      R"(server:
  listeners: [{address: 127.0.0.1, port: {port}}]
  workers: 2
  plain_http: true
  public_base_url: http://127.0.0.1:{port}
sessions:
  store: redis
  redis: {host: 127.0.0.1, port: {redis_port}, key_prefix: 'login-load-{port}:'}
jwt: {key_file: jwt.pem, kid: login-load}
directory: {file: directory.yaml}
saml:
  key_file: {testdata}/sp.key
  certificate_file: {testdata}/sp.crt
  organization: {name: {it: Ente di prova}, display_name: {it: Ente di prova}, url: {it: 'http://127.0.0.1:{port}'}}
  contact: {email: spid@ente-di-prova.it, telephone: '+390600000000'}
  ipa_code: c_t001
  attribute_services:
    - {index: 0, name: Area Riservata, attributes: [name, familyName, fiscalNumber, email]}
  spid: {metadata: [{dir}/idp-metadata.xml], binding: {binding}}
  audit: {directory: {dir}/audit}
products:
  - id: prod-bench
    title: Bench
    path_prefix: /bench-product
    required_party_roles: [MANAGER]
    environments:
      - {id: collaudo, label: Collaudo, upstreams: ['http://127.0.0.1:{upstream}'], path_prefix: /bench}
)",
      {{"{port}", std::to_string(port)},
       {"{redis_port}", std::to_string(test::redis_server::shared().port())},
       {"{testdata}", testdata},
       {"{dir}", dir.string()},
       {"{binding}", binding},
       {"{upstream}", std::to_string(upstream_port)}});
}

constexpr const char* directory_yaml = R"(parties:
  - {id: 7b3c0000-0000-4000-8000-00000000be01, name: Ente di prova, type: PA, fiscal_code: "80000000000"}
memberships:
  - {user: RSSMRA80A01H501U, party: 7b3c0000-0000-4000-8000-00000000be01, product: prod-bench, party_role: MANAGER, product_role: admin}
)";

// An upstream, the tool's IdP metadata and a varco reading it, with the AuthnRequest `binding`.
struct load_stack {
  explicit load_stack(const std::string& binding) {
    const int written =
        run_load({"metadata", "--out", (dir / "idp-metadata.xml").string()}, dir / "metadata.log");
    if (written != 0) throw std::runtime_error(test::read_file(dir / "metadata.log"));
    varco = std::make_unique<test::varco_process>(test::varco_process::options{
        config(port, binding, dir.path(), upstream.port()), directory_yaml});
  }

  // `logins` after one warm-up login, two at a time, then `extra` arguments; the tool's exit
  // status, its report in `out`.
  int run(int logins, const std::string& expect_in_body, std::string& out,
          const std::vector<std::string>& extra = {}) {
    const int status =
        run_load({"run", "--port", std::to_string(port), "--base-url",
                  "http://127.0.0.1:" + std::to_string(port), "--logins", std::to_string(logins),
                  "--warmup", "1", "--concurrency", "2", "--return", "/bench/home",
                  "--expect-in-body", expect_in_body, "--varco-pid", std::to_string(varco->pid())},
                 dir / "report.txt", extra);
    out = test::read_file(dir / "report.txt");
    return status;
  }

  test::temp_dir dir;
  test::test_upstream upstream;
  std::uint16_t port = test::pick_free_port();
  std::unique_ptr<test::varco_process> varco;
};

// The echo upstream answers the request's headers as JSON: the identity header must be there.
constexpr const char* identity_echoed = R"("X-Varco-User-Fiscal-Number","RSSMRA80A01H501U")";

class login_load : public ::testing::TestWithParam<std::string> {};

TEST_P(login_load, every_login_succeeds_and_reaches_the_upstream_with_the_identity) {
  load_stack stack(GetParam());
  std::string report;
  ASSERT_EQ(stack.run(6, identity_echoed, report), 0) << report << stack.varco->output();
  EXPECT_NE(report.find("logins 6\n"), std::string::npos) << report;
  EXPECT_NE(report.find("failures 0\n"), std::string::npos) << report;
  EXPECT_NE(report.find("varco_cpu_ms_per_login "), std::string::npos) << report;
  // Warm-up and measured logins each reached the upstream once.
  EXPECT_EQ(stack.upstream.requests(), 7u);
}

INSTANTIATE_TEST_SUITE_P(bindings, login_load, ::testing::Values("redirect", "post"));

// The seconds line of a report, -1 when there is none.
double reported_seconds(const std::string& report) {
  const auto at = report.find("\nseconds ");
  return at == std::string::npos ? -1 : std::stod(report.substr(at + 9));
}

TEST(login_load_pacing, a_paced_run_starts_its_logins_on_schedule) {
  load_stack stack("redirect");
  std::string report;
  // 5 logins at 10 a second: the last is due 0.4 s after the first, however fast varco answers.
  ASSERT_EQ(stack.run(5, identity_echoed, report, {"--rate", "10"}), 0) << report;
  EXPECT_NE(report.find("logins 5\n"), std::string::npos) << report;
  EXPECT_GE(reported_seconds(report), 0.4) << report;
}

TEST(login_load_pacing, a_paced_run_for_a_duration_makes_the_logins_due_in_it) {
  load_stack stack("redirect");
  std::string report;
  // --logins is ignored; logins due at 0, 0.1, ..., 0.9 s fall inside the second: exactly 10.
  ASSERT_EQ(stack.run(1000, identity_echoed, report, {"--rate", "10", "--duration", "1"}), 0)
      << report;
  EXPECT_NE(report.find("logins 10\n"), std::string::npos) << report;
  EXPECT_NE(report.find("crypto_busy 0\n"), std::string::npos) << report;
  EXPECT_GE(reported_seconds(report), 0.9) << report;
  EXPECT_EQ(stack.upstream.requests(), 11u);  // the warm-up login and the 10
}

TEST(login_load_failures, a_first_request_without_the_identity_fails_the_run) {
  load_stack stack("redirect");
  std::string report;
  // The warm-up login already misses the expected text: the run stops there, unsuccessful.
  EXPECT_EQ(stack.run(3, R"("X-Varco-User-Fiscal-Number","VRDLGU85B02F205X")", report), 1);
  EXPECT_EQ(stack.upstream.requests(), 1u);
}

}  // namespace
}  // namespace varco::integration
