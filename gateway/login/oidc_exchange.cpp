#include "gateway/login/oidc_exchange.hpp"

#include "base/base64.hpp"
#include "base/percent_decoding.hpp"

#include <boost/json/parse.hpp>

namespace varco::gateway {
namespace {

exchange_failure failed(std::string_view reason, std::string detail) {
  return {reason, std::move(detail)};
}

std::string form(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (value.empty()) continue;
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += base::percent_encode(value);
  }
  return out;
}

// RFC 6749 §2.3.1: client_secret_basic encodes id and secret as form values first.
std::string basic_authorization(const client_credentials& client) {
  return "Basic " + base::base64_encode(base::percent_encode(client.client_id) + ':' +
                                        base::percent_encode(client.secret));
}

fetch_request post(const conf::oidc& config, std::string endpoint, const client_credentials& client,
                   std::string body) {
  fetch_request request;
  request.method = http::verb::post;
  request.url = std::move(endpoint);
  request.content_type = "application/x-www-form-urlencoded";
  request.headers.emplace_back("Accept", "application/json");
  if (client.assertion.empty()) {
    request.headers.emplace_back("Authorization", basic_authorization(client));
  } else {
    body +=
        '&' +
        form({{"client_id", client.client_id},
              {"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
              {"client_assertion", client.assertion}});
  }
  request.body = std::move(body);
  request.max_body_bytes = config.max_document_bytes;
  request.timeout = config.fetch_timeout;
  return request;
}

std::string string_member(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

awaitable<exchange_result<token_response>> redeem_code(fetcher& fetch, const conf::oidc& config,
                                                       std::string endpoint,
                                                       const client_credentials& client,
                                                       std::string_view code,
                                                       std::string_view code_verifier) {
  auto body = form({{"grant_type", "authorization_code"},
                    {"code", code},
                    {"redirect_uri", config.redirect_uri},
                    {"code_verifier", code_verifier}});
  auto got = co_await fetch.fetch(post(config, std::move(endpoint), client, std::move(body)));
  if (!got) co_return failed("provider_unreachable", std::string(reason_code(got.error())));
  boost::system::error_code ec;
  auto document = boost::json::parse(got->body, ec);
  const boost::json::object* o = ec ? nullptr : document.if_object();
  if (got->status != 200) {
    // The provider's error code (invalid_grant, invalid_client, …) says why; its description is
    // free text from outside and is not logged.
    co_return failed("token_refused", "status " + std::to_string(got->status) + " error " +
                                          (o ? string_member(*o, "error") : std::string("?")));
  }
  if (o == nullptr) co_return failed("token_response_invalid", "not a JSON object");
  token_response out;
  out.id_token = string_member(*o, "id_token");
  out.access_token = string_member(*o, "access_token");
  out.refresh_token = string_member(*o, "refresh_token");
  const auto type = string_member(*o, "token_type");
  if (out.id_token.empty() || out.access_token.empty())
    co_return failed("token_response_invalid", "no id_token or access_token");
  if (type.size() != 6 || !beast::iequals(type, "Bearer"))
    co_return failed("token_response_invalid", "token_type is not Bearer");
  co_return out;
}

awaitable<exchange_result<userinfo_body>> fetch_userinfo(fetcher& fetch, const conf::oidc& config,
                                                         std::string endpoint,
                                                         std::string_view access_token) {
  fetch_request request;
  request.url = std::move(endpoint);
  request.headers.emplace_back("Authorization", "Bearer " + std::string(access_token));
  request.headers.emplace_back("Accept", "application/jwt, application/json");
  request.max_body_bytes = config.max_document_bytes;
  request.timeout = config.fetch_timeout;
  auto got = co_await fetch.fetch(std::move(request));
  if (!got) co_return failed("provider_unreachable", std::string(reason_code(got.error())));
  if (got->status != 200)
    co_return failed("userinfo_refused", "status " + std::to_string(got->status));
  co_return userinfo_body{std::move(got->body), std::move(got->content_type)};
}

awaitable<bool> revoke_token(fetcher& fetch, const conf::oidc& config, std::string endpoint,
                             const client_credentials& client, std::string_view token,
                             std::string_view hint) {
  auto body = form({{"token", token}, {"token_type_hint", hint}});
  auto got = co_await fetch.fetch(post(config, std::move(endpoint), client, std::move(body)));
  co_return got && got->status == 200;
}

}  // namespace varco::gateway
