#include "gateway/login/oidc_pending.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace varco::gateway {

std::string encode_pending_login(const oidc_pending_login& pending) {
  boost::json::object o{{"provider", pending.provider},      {"nonce", pending.nonce},
                        {"verifier", pending.code_verifier}, {"level", pending.level},
                        {"return", pending.return_path},     {"browser", pending.browser_binding},
                        {"iat", pending.issued_at}};
  return boost::json::serialize(o);
}

std::optional<oidc_pending_login> decode_pending_login(std::string_view text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto& o = value.get_object();
  oidc_pending_login out;
  auto text_of = [&](std::string_view name, std::string& into) {
    const auto* v = o.if_contains(name);
    if (v == nullptr || !v->is_string()) return false;
    into = v->get_string();
    return true;
  };
  const auto* level = o.if_contains("level");
  const auto* iat = o.if_contains("iat");
  if (!text_of("provider", out.provider) || !text_of("nonce", out.nonce) ||
      !text_of("verifier", out.code_verifier) || !text_of("return", out.return_path) ||
      !text_of("browser", out.browser_binding) || level == nullptr || !level->is_int64() ||
      iat == nullptr || !iat->is_int64())
    return std::nullopt;
  out.level = static_cast<int>(level->get_int64());
  out.issued_at = iat->get_int64();
  return out;
}

bool looks_like_state(std::string_view state) {
  return state.size() == 43 && std::all_of(state.begin(), state.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
         });
}

}  // namespace varco::gateway
