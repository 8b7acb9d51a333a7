#include "bench/login_load/oidc_client.hpp"

#include "base/percent_decoding.hpp"
#include "tests/support/browser.hpp"

#include <stdexcept>

namespace varco::bench {
namespace {

namespace http = boost::beast::http;
using clock_type = std::chrono::steady_clock;

// op.mjs takes four exchanges (authorization endpoint, login page, its form, the resume);
// more than this is a provider going round in circles.
constexpr int max_provider_steps = 12;

std::string status_and_body(const test::http_response& answer) {
  return "status " + std::to_string(answer.status) + " " + answer.body.substr(0, 200);
}

}  // namespace

oidc_client::oidc_client(const login_target& target) : target_(target) {}

std::string oidc_client::through_provider(const std::string& url, std::string& failure) {
  auto where = test::parse_url(url, target_.port);
  auto method = http::verb::get;
  std::string body;
  for (int step = 0; step < max_provider_steps; ++step) {
    std::chrono::nanoseconds took{};
    const auto answer = browser_.send(where.port, method, where.target, body, took);
    method = http::verb::get;
    body.clear();
    if (answer.status >= 300 && answer.status < 400) {
      auto next = test::parse_url(answer.header("Location"), where.port);
      if (next.port == target_.port && next.target.starts_with("/oidc/callback")) {
        return next.target;
      }
      where = std::move(next);
      continue;
    }
    if (answer.status != 200) {
      failure = "provider: " + status_and_body(answer);
      return {};
    }
    // The login page: its form submitted as it is, as a user clicks its one button.
    const auto forms = test::parse_forms(answer.body);
    if (forms.empty()) {
      failure = "provider: a page without a form: " + answer.body.substr(0, 200);
      return {};
    }
    const auto& form = forms.front();
    const std::string fields = test::form_encode(form.fields);
    if (!form.action.empty()) where = test::parse_url(form.action, where.port);
    if (form.method == "post") {
      method = http::verb::post;
      body = fields;
    } else if (!fields.empty()) {
      where.target += (where.target.find('?') == std::string::npos ? "?" : "&") + fields;
    }
  }
  failure = "provider: no redirect back to /oidc/callback after " +
            std::to_string(max_provider_steps) + " exchanges";
  return {};
}

login_result oidc_client::login() {
  login_result result;
  browser_.forget_cookies();  // every login is a new browser, with no session at the provider
  try {
    const auto start =
        browser_.send(target_.port, http::verb::get,
                      "/oidc/login?provider=" + base::percent_encode(target_.provider) +
                          "&level=2&return=" + base::percent_encode(target_.return_path),
                      {}, result.timing.login);
    if (start.status != 302) {
      result.crypto_busy = crypto_busy(start.status, start.body);
      result.failure = "login: " + status_and_body(start);
      return result;
    }
    const auto provider_start = clock_type::now();
    const std::string callback = through_provider(start.header("Location"), result.failure);
    result.timing.provider = clock_type::now() - provider_start;
    if (callback.empty()) return result;
    const auto back =
        browser_.send(target_.port, http::verb::get, callback, {}, result.timing.finish);
    if (back.status != 303) {
      result.crypto_busy = crypto_busy(back.status, back.body);
      result.failure = "callback: " + status_and_body(back);
      return result;
    }
    const auto first = browser_.send(target_.port, http::verb::get, back.header("Location"), {},
                                     result.timing.first_request);
    if (first.status != 200 || first.body.find(target_.expect_in_body) == std::string::npos) {
      result.failure = "first request: " + status_and_body(first);
      return result;
    }
  } catch (const std::invalid_argument& e) {
    result.failure = std::string("redirect: ") + e.what();  // not to 127.0.0.1 (parse_url)
    return result;
  } catch (const std::exception& e) {
    result.failure = std::string("network: ") + e.what();
    return result;
  }
  result.ok = true;
  return result;
}

}  // namespace varco::bench
