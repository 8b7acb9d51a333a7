#include "oidc/authorization.hpp"

#include "base/base64.hpp"
#include "base/percent_decoding.hpp"
#include "base/random.hpp"
#include "base/sha256.hpp"
#include "jose/jws.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <array>
#include <utility>

namespace varco::oidc {
namespace {

std::int64_t seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += ' ';
    out += v;
  }
  return out;
}

}  // namespace

std::string random_token() {
  std::array<unsigned char, 32> bytes{};
  base::fill_random(bytes);
  return base::base64url_encode({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

pkce make_pkce() {
  pkce out;
  out.verifier = random_token();
  const auto digest = base::sha256(out.verifier);
  out.challenge =
      base::base64url_encode({reinterpret_cast<const char*>(digest.data()), digest.size()});
  return out;
}

outcome<std::string> authorization_url(const authorization_request& request, const signing_key& key,
                                       std::chrono::system_clock::time_point now) {
  for (auto [name, value] : {std::pair{"authorization_endpoint", &request.authorization_endpoint},
                             {"client_id", &request.client_id},
                             {"redirect_uri", &request.redirect_uri},
                             {"state", &request.state},
                             {"nonce", &request.nonce},
                             {"code_challenge", &request.code_challenge},
                             {"audience", &request.audience}}) {
    if (value->empty()) return failure{reason::request_invalid, std::string("no ") + name};
  }
  // The parameters, in the order they go in the query.
  std::vector<std::pair<std::string_view, std::string>> params = {
      {"client_id", request.client_id},
      {"response_type", "code"},
      {"scope", request.scope},
      {"redirect_uri", request.redirect_uri},
      {"state", request.state},
      {"nonce", request.nonce},
      {"code_challenge", request.code_challenge},
      {"code_challenge_method", "S256"},
  };
  if (!request.acr_values.empty()) params.emplace_back("acr_values", joined(request.acr_values));
  if (!request.prompt.empty()) params.emplace_back("prompt", request.prompt);

  boost::json::object object;
  for (const auto& [name, value] : params) object[name] = value;
  if (!request.claims.empty()) {
    boost::system::error_code ec;
    auto claims = boost::json::parse(request.claims, ec);
    if (ec || !claims.is_object()) return failure{reason::request_invalid, "claims is not JSON"};
    object["claims"] = std::move(claims);
    params.emplace_back("claims", request.claims);
  }
  std::string url = request.authorization_endpoint;
  url += url.find('?') == std::string::npos ? '?' : '&';
  if (request.request_object) {
    object["iss"] = request.client_id;
    object["aud"] = request.audience;
    object["iat"] = seconds(now);
    object["exp"] = seconds(now + std::chrono::minutes(2));
    object["jti"] = random_token();
    auto signed_object = jose::sign_jws(boost::json::serialize(object), key.key, key.alg, key.kid);
    if (!signed_object) return failure{reason::key_unusable, signed_object.error().detail};
    params.emplace_back("request", std::move(*signed_object));
  }
  bool first = true;
  for (const auto& [name, value] : params) {
    if (!first) url += '&';
    first = false;
    url += name;
    url += '=';
    url += base::percent_encode(value);
  }
  return url;
}

outcome<std::string> client_assertion(std::string_view client_id, std::string_view endpoint,
                                      const signing_key& key,
                                      std::chrono::system_clock::time_point now) {
  if (client_id.empty() || endpoint.empty())
    return failure{reason::request_invalid, "no client_id or endpoint"};
  boost::json::object claims{{"iss", client_id},
                             {"sub", client_id},
                             {"aud", endpoint},
                             {"iat", seconds(now)},
                             {"exp", seconds(now + std::chrono::minutes(2))},
                             {"jti", random_token()}};
  auto token = jose::sign_jws(boost::json::serialize(claims), key.key, key.alg, key.kid);
  if (!token) return failure{reason::key_unusable, token.error().detail};
  return std::move(*token);
}

}  // namespace varco::oidc
