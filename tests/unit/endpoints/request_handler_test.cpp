// The request handler against an in-process stand-in for its worker (request_services): framing
// refusals, the reserved-route table's 405 and 413, the gateway's own endpoints, and a product
// request from no session to a proxy target carrying the claims. No socket, no Redis.
#include "gateway/request_handler.hpp"

#include "endpoint_fakes.hpp"
#include "gateway/request_services.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

using endpoint_testing::services_fixture;

// area_fixture's products at /<id>, prod-pagopa's environments with one upstream each.
std::shared_ptr<const runtime> routed_runtime() {
  auto config = std::make_shared<conf::config>(area_testing::area_config());
  config->server.plain_http = true;
  for (auto& env : config->products[0].environments)
    env.upstreams = {conf::upstream_url{false, "127.0.0.1", 9, "", "http://127.0.0.1:9"}};
  runtime r;
  r.cookie_name = config->sessions.cookie_name();
  r.own_cookies = gateway_cookies(config->sessions);
  r.config = config;
  r.directory = area_testing::area_directory();
  std::vector<std::string> problems;
  r.routes = route_table::compile(*config, problems);
  if (!problems.empty()) throw std::runtime_error(problems.front());
  return std::make_shared<const runtime>(std::move(r));
}

class fake_worker final : public request_services {
 public:
  explicit fake_worker(services_fixture& fx)
      : fx_(fx),
        login_(login_services{fx.runtime_source, fx.sessions, *fx.login_state, fx.rejections,
                              fx.audit, fx.logouts, fx.crypto}),
        area_{fx.runtime_source, fx.sessions, *fx.login_state, fx.directory, nullptr} {}

  const std::shared_ptr<const runtime>& current_runtime() override {
    return fx_.runtime_source.current();
  }
  session::session_service& sessions() noexcept override { return fx_.sessions; }
  session::login_state_store& login_state() noexcept override { return *fx_.login_state; }
  login_endpoints& login() noexcept override { return login_; }
  area_services& area() noexcept override { return area_; }
  std::string request_id_for(std::string_view incoming, const client_info& /*client*/) override {
    return incoming.empty() ? "req-new" : std::string(incoming);
  }
  void note_session_lookup(bool cache_hit, bool store_failed) noexcept override {
    ++lookups;
    if (cache_hit) ++cache_hits;
    if (store_failed) ++store_failures;
  }
  bool every_store_healthy() const override { return healthy; }
  bool draining() const noexcept override { return false; }
  std::string render_metrics() const override { return "varco_up 1\n"; }
  std::size_t next_upstream(std::size_t /*count*/) noexcept override { return 0; }
  std::string take_head_buffer() override { return {}; }
  const std::string& claims_block(const runtime& /*current*/, const session::session& /*user*/,
                                  const directory::party& party,
                                  const directory::membership& /*membership*/,
                                  const conf::product& product,
                                  const conf::environment& env) override {
    claims_ = "X-Varco-Party: " + party.id + "\r\nX-Varco-Product: " + product.id +
              "\r\nX-Varco-Environment: " + env.id + "\r\n";
    return claims_;
  }

  bool healthy = true;
  int lookups = 0, cache_hits = 0, store_failures = 0;

 private:
  services_fixture& fx_;
  login_endpoints login_;
  area_services area_;
  std::string claims_;
};

class request_handler_test : public ::testing::Test {
 protected:
  // decide(), then complete() when it asked to wait: what the connection does with a header.
  handler_result answer(const http::request<http::empty_body>& full) {
    const http::request_header<>& request = full.base();
    handler_result result;
    deferred_step rest;
    const client_info client{boost::asio::ip::make_address("192.0.2.10"), "192.0.2.10", false};
    const auto current = fx.runtime_source.current();
    if (!handler.decide(request, client, *current, result, rest))
      fx.run(handler.complete(request, client, *current, result, rest));
    return result;
  }

  static http::request<http::empty_body> head(
      http::verb method, std::string target,
      std::initializer_list<std::pair<std::string, std::string>> fields = {}) {
    http::request<http::empty_body> h{method, target, 11};
    h.set(http::field::host, "varco.example");
    for (const auto& [name, value] : fields) h.insert(name, value);
    return h;
  }

  services_fixture fx{routed_runtime()};
  fake_worker worker{fx};
  request_handler handler{worker};
};

TEST_F(request_handler_test, ambiguous_framing_is_refused_before_anything_looks_further) {
  auto two_hosts = head(http::verb::get, "/prod-pagopa/x");
  two_hosts.insert(http::field::host, "other.example");
  EXPECT_EQ(answer(two_hosts).notes.reason, "duplicate_host");
  auto gzip_chunked =
      head(http::verb::post, "/prod-pagopa/x", {{"Transfer-Encoding", "gzip, chunked"}});
  const auto refused = answer(gzip_chunked);
  ASSERT_TRUE(refused.response);
  EXPECT_EQ(refused.response->result_int(), 501);
  EXPECT_EQ(worker.lookups, 0) << "no session was looked up for a refused request";
}

TEST_F(request_handler_test, the_reserved_table_answers_405_with_allow_and_413_before_the_body) {
  const auto get_acs = answer(head(http::verb::get, "/saml/acs"));
  ASSERT_TRUE(get_acs.response);
  EXPECT_EQ(get_acs.response->result_int(), 405);
  EXPECT_EQ(get_acs.response->at(http::field::allow), "POST");
  EXPECT_EQ(get_acs.notes.route, route_class::saml);

  const auto big_form = answer(head(http::verb::post, "/area/party", {{"Content-Length", "9000"}}));
  ASSERT_TRUE(big_form.response);
  EXPECT_EQ(big_form.response->result_int(), 413);
  EXPECT_FALSE(big_form.wants_body);

  const auto form = answer(head(http::verb::post, "/area/party", {{"Content-Length", "40"}}));
  EXPECT_TRUE(form.wants_body) << "a form within its cap is read next";
  EXPECT_EQ(form.body_limit, short_form_bytes);
}

TEST_F(request_handler_test, health_and_readiness_come_from_the_worker) {
  const auto health = answer(head(http::verb::get, "/healthz"));
  ASSERT_TRUE(health.response);
  EXPECT_EQ(health.response->result_int(), 200);
  worker.healthy = false;
  const auto ready = answer(head(http::verb::get, "/readyz"));
  ASSERT_TRUE(ready.response);
  EXPECT_EQ(ready.response->result_int(), 503);
  EXPECT_EQ(ready.notes.reason, "store_unavailable");
  const auto unknown = answer(head(http::verb::get, "/.well-known/other"));
  EXPECT_EQ(unknown.response->result_int(), 404);
}

TEST_F(request_handler_test, a_product_request_without_a_session_goes_to_the_login) {
  const auto browser =
      answer(head(http::verb::get, "/prod-pagopa/home", {{"Accept", "text/html"}}));
  ASSERT_TRUE(browser.response);
  EXPECT_EQ(browser.response->result_int(), 302);
  EXPECT_NE(browser.response->at(http::field::location).find("/login"), std::string_view::npos);
  EXPECT_EQ(browser.notes.product, "prod-pagopa");
  const auto api =
      answer(head(http::verb::get, "/prod-pagopa/api", {{"Accept", "application/json"}}));
  ASSERT_TRUE(api.response);
  EXPECT_EQ(api.response->result_int(), 401);
  EXPECT_FALSE(api.proxy);
}

TEST_F(request_handler_test,
       a_signed_in_request_is_forwarded_with_the_claims_and_without_the_clients) {
  session::session user = area_testing::area_session();
  user.environments["prod-pagopa"] = "collaudo";
  const auto cookie = fx.sign_in(user);
  const auto request = head(http::verb::get, "/prod-pagopa/home",
                            {{"Cookie", fx.runtime_source.value().cookie_name + "=" + cookie},
                             {"X-Varco-Party", "p-forged"}});
  const auto forwarded = answer(request);
  ASSERT_FALSE(forwarded.response) << forwarded.response->body();
  ASSERT_TRUE(forwarded.proxy);
  EXPECT_EQ(forwarded.notes.environment, "collaudo");
  EXPECT_NE(forwarded.proxy->head.find("X-Varco-Party: p-comune\r\n"), std::string::npos);
  EXPECT_EQ(forwarded.proxy->head.find("p-forged"), std::string::npos);
  EXPECT_EQ(forwarded.proxy->head.find(cookie), std::string::npos)
      << "varco's session cookie never reaches the product";
  EXPECT_EQ(worker.lookups, 1);
}

}  // namespace
}  // namespace varco::gateway
