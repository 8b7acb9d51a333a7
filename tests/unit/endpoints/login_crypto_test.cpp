// /saml/login and /logout with their signatures on the crypto pool: with the pool's thread held
// and its queue full, they are refused at once with 503, Retry-After and the reason crypto_busy
// (page or JSON), and nothing was started or ended; once the pool has room, the same request is
// signed and sent to the IdP. A real SAML service (the saml tests' SP key and an IdP metadata
// file), the in-process fakes of endpoint_fakes.hpp for the rest.
#include "endpoint_fakes.hpp"
#include "gateway/login/login_endpoints.hpp"
#include "gateway/login/saml_service.hpp"
#include "tests/unit/saml/idp_metadata_fixture.hpp"
#include "tests/unit/saml/sp_test_profile.hpp"
#include "tests/unit/saml/testdata.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <gtest/gtest.h>

#include <future>

namespace varco::gateway {
namespace {

using endpoint_testing::services_fixture;

constexpr const char* idp_entity = "https://idp.example.it";

// area_runtime() plus a saml section and its service, with `queue` as the crypto queue's limit.
std::shared_ptr<const runtime> saml_runtime(const saml::test::temp_dir& files, std::size_t queue) {
  const auto metadata = files.path() / "idp.xml";
  saml::test::write_file(metadata, saml::test::entity_document(saml::test::idp_spec(idp_entity)));
  auto config = std::make_shared<conf::config>(*endpoint_testing::area_runtime()->config);
  config->server.limits.crypto_queue = queue;
  config->saml = saml::test::sp_config();
  config->saml.spid.configured = true;
  config->saml.spid.sources = {conf::idp_source{metadata.string(), ""}};
  std::vector<std::string> errors;
  auto service = build_saml_service(config->saml, errors);
  if (!service) throw std::runtime_error(errors.empty() ? "no saml service" : errors.front());
  runtime r;
  r.cookie_name = config->sessions.cookie_name();
  r.own_cookies = gateway_cookies(config->sessions);
  r.config = std::move(config);
  r.directory = area_testing::area_directory();
  r.saml = std::move(service);
  r.generation = 1;
  r.config_generation = 1;
  return std::make_shared<const runtime>(std::move(r));
}

class login_crypto_test : public ::testing::Test {
 protected:
  static constexpr std::size_t queue = 1;

  login_crypto_test() : fx(saml_runtime(files, queue)) {}

  login_endpoints endpoints() {
    return login_endpoints(login_services{fx.runtime_source, fx.sessions, *fx.login_state,
                                          fx.rejections, fx.audit, fx.logouts, pool});
  }

  handler_result start_login(bool json = false) {
    auto login = endpoints();
    const std::string target = std::string("/saml/login?idp=") + idp_entity;
    const auto request = fx.request(http::verb::get, target);
    return fx.run(login.handle(reserved_endpoint::saml_login, request.base(),
                               fx.runtime_source.value(), fx.exchange_for("/saml/login", json)));
  }

  // A SPID session at the test IdP (which has Single Logout): its cookie.
  std::string spid_session() {
    session::session who = area_testing::area_session();
    who.provider = "spid";
    who.idp_entity_id = idp_entity;
    who.name_id = "_name-id-1";
    who.session_index = "_session-1";
    return fx.sign_in(std::move(who));
  }

  handler_result logout(const std::string& cookie) {
    auto login = endpoints();
    const auto request =
        fx.request(http::verb::post, "/logout", cookie, "csrf=" + fx.csrf_of(cookie));
    return fx.run(login.handle_body(reserved_endpoint::logout, request, fx.runtime_source.value(),
                                    fx.exchange_for("/logout")));
  }

  bool signed_in(const std::string& cookie) {
    auto found = fx.run(fx.sessions.find_shared(cookie));
    return found && *found;
  }

  // Holds the pool's only thread and fills its queue, from an io_context of their own (fx.io
  // must run out of work when the login under test is answered).
  void fill_the_pool() {
    submit_other([this] {
      held.set_value();
      released.wait();
      return 0;
    });
    held.get_future().wait();
    submit_other([] { return 0; });  // waits in the queue
    ASSERT_EQ(pool.waiting(), queue);
  }

  template <typename Job>
  void submit_other(Job job) {
    asio::co_spawn(
        others, [this, job]() -> awaitable<void> { (void)co_await pool.run(job, queue); },
        asio::detached);
    others.poll();
    others.restart();
  }

  void release_the_pool() {
    release.set_value();
    others.run();
  }

  saml::test::temp_dir files;
  services_fixture fx;
  crypto_pool pool{1};
  asio::io_context others;
  std::promise<void> held;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
};

TEST_F(login_crypto_test, a_full_crypto_queue_refuses_the_login_with_503_and_retry_after) {
  fill_the_pool();
  auto refused = start_login();
  ASSERT_TRUE(refused.response);
  EXPECT_EQ(refused.response->result_int(), 503);
  EXPECT_EQ((*refused.response)[http::field::retry_after], "1");
  EXPECT_EQ(refused.notes.reason, "crypto_busy");
  EXPECT_NE(refused.response->body().find("crypto_busy"), std::string::npos);
  EXPECT_TRUE((*refused.response)[http::field::set_cookie].empty()) << "no login round started";
  EXPECT_TRUE(fx.audit.kinds.empty()) << "no AuthnRequest was made";
  EXPECT_EQ(pool.refused(), 1u);

  auto json = start_login(true);
  EXPECT_EQ(json.response->result_int(), 503);
  EXPECT_EQ((*json.response)[http::field::content_type], "application/json");
  EXPECT_NE(json.response->body().find(R"("crypto_busy")"), std::string::npos);

  release_the_pool();
  auto sent = start_login();
  ASSERT_TRUE(sent.response);
  EXPECT_EQ(sent.response->result_int(), 302);
  EXPECT_EQ((*sent.response)[http::field::location].find("https://idp.example.it"), 0u);
  EXPECT_NE((*sent.response)[http::field::location].find("Signature="), std::string::npos);
  EXPECT_EQ(fx.audit.kinds, std::vector<std::string>{"authn_request"});
}

TEST_F(login_crypto_test, a_full_crypto_queue_refuses_the_logout_before_the_session_ends) {
  const std::string cookie = spid_session();
  fill_the_pool();
  auto refused = logout(cookie);
  ASSERT_TRUE(refused.response);
  EXPECT_EQ(refused.response->result_int(), 503);
  EXPECT_EQ((*refused.response)[http::field::retry_after], "1");
  EXPECT_EQ(refused.notes.reason, "crypto_busy");
  EXPECT_TRUE(signed_in(cookie)) << "refused before anything ended: the user may retry";
  EXPECT_EQ(fx.logouts.calls, 0);

  release_the_pool();
  auto sent = logout(cookie);
  ASSERT_TRUE(sent.response);
  EXPECT_EQ(sent.response->result_int(), 302);
  EXPECT_EQ((*sent.response)[http::field::location].find("https://idp.example.it"), 0u);
  EXPECT_NE((*sent.response)[http::field::location].find("Signature="), std::string::npos);
  EXPECT_FALSE(signed_in(cookie));
  EXPECT_EQ(fx.audit.kinds, std::vector<std::string>{"logout_request"});
}

}  // namespace
}  // namespace varco::gateway
