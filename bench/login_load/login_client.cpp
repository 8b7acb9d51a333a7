#include "bench/login_load/login_client.hpp"

#include "base/base64.hpp"
#include "saml/errors.hpp"
#include "saml/redirect_binding.hpp"
#include "tests/support/browser.hpp"

#include <sstream>
#include <utility>

namespace varco::bench {
namespace {

namespace http = boost::beast::http;
using clock_type = std::chrono::steady_clock;

constexpr std::size_t max_message = 256 * 1024;

struct sent_request {
  std::string xml;
  std::string relay_state;
};

// The AuthnRequest of varco's answer to GET /saml/login, whichever binding it used.
saml::outcome<sent_request> sent_authn_request(const test::http_response& answer) {
  if (answer.status == 302) {
    const std::string location = answer.header("Location");
    const auto query = location.find('?');
    if (query == std::string::npos) return saml::failure{saml::reason::bad_encoding, "no query"};
    auto message = saml::decode_redirect_query(std::string_view(location).substr(query + 1));
    if (!message) return message.error();
    return sent_request{std::move(message->xml), std::move(message->relay_state)};
  }
  if (answer.status != 200) {
    return saml::failure{saml::reason::bad_encoding, "status " + std::to_string(answer.status)};
  }
  const auto forms = test::parse_forms(answer.body);
  if (forms.empty()) return saml::failure{saml::reason::bad_encoding, "no form"};
  auto xml = saml::decode_base64(forms.front().field("SAMLRequest"), max_message);
  if (!xml) return xml.error();
  return sent_request{std::move(*xml), forms.front().field("RelayState")};
}

std::string describe(const saml::failure& f) {
  std::ostringstream out;
  out << f.code << ": " << f.detail;
  return out.str();
}

}  // namespace

login_client::login_client(const login_target& target, fast_idp& idp)
    : target_(target), idp_(idp) {}

login_result login_client::login() {
  login_result result;
  browser_.forget_cookies();  // every login is a new browser
  const auto send = [&](http::verb method, const std::string& target, const std::string& body,
                        std::chrono::nanoseconds& took) {
    return browser_.send(target_.port, method, target, body, took);
  };
  try {
    const auto start = send(http::verb::get,
                            "/saml/login?idp=" + saml::percent_encode(idp_.entity_id()) +
                                "&level=2&return=" + saml::percent_encode(target_.return_path),
                            {}, result.timing.login);
    const auto idp_start = clock_type::now();
    auto sent = sent_authn_request(start);
    if (!sent) {
      result.crypto_busy = crypto_busy(start.status, start.body);
      result.failure = "login: " + describe(sent.error());
      return result;
    }
    auto request = read_authn_request(sent->xml);
    if (!request) {
      result.failure = "AuthnRequest: " + describe(request.error());
      return result;
    }
    request->acs_url = target_.base_url + "/saml/acs";
    auto response = idp_.respond(*request);
    if (!response) {
      result.failure = "signing: " + describe(response.error());
      return result;
    }
    const std::string form = test::form_encode(
        {{"SAMLResponse", base::base64_encode(*response)}, {"RelayState", sent->relay_state}});
    result.timing.provider = clock_type::now() - idp_start;
    const auto acs = send(http::verb::post, "/saml/acs", form, result.timing.finish);
    if (acs.status != 303) {
      result.crypto_busy = crypto_busy(acs.status, acs.body);
      result.failure = "acs: status " + std::to_string(acs.status) + " " + acs.body.substr(0, 200);
      return result;
    }
    const auto first =
        send(http::verb::get, acs.header("Location"), {}, result.timing.first_request);
    if (first.status != 200 || first.body.find(target_.expect_in_body) == std::string::npos) {
      result.failure =
          "first request: status " + std::to_string(first.status) + " " + first.body.substr(0, 200);
      return result;
    }
  } catch (const std::exception& e) {
    result.failure = std::string("network: ") + e.what();
    return result;
  }
  result.ok = true;
  return result;
}

}  // namespace varco::bench
