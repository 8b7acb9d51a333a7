#include "gateway/http/gateway_cookies.hpp"

#include "gateway/http/cookies.hpp"

#include <boost/beast/core/string.hpp>

namespace varco::gateway {
namespace {

constexpr std::string_view host_prefix = "__Host-";
constexpr std::string_view secure_prefix = "__Secure-";

std::string_view without_prefix(std::string_view name) {
  for (const auto prefix : {host_prefix, secure_prefix})
    if (name.starts_with(prefix)) return name.substr(prefix.size());
  return name;
}

}  // namespace

gateway_cookies::gateway_cookies(const conf::sessions& sessions) {
  const std::string session_name = sessions.cookie_name();
  for (const std::string_view base :
       {without_prefix(session_name), login_cookie_base, language_cookie_name, draft_cookie_base}) {
    names_.emplace_back(base);
    names_.push_back(std::string(host_prefix) + std::string(base));
    names_.push_back(std::string(secure_prefix) + std::string(base));
  }
}

bool gateway_cookies::owns(std::string_view name) const noexcept {
  for (const auto& owned : names_)
    if (owned.size() == name.size() && boost::beast::iequals(owned, name)) return true;
  return false;
}

void gateway_cookies::append_product_cookies(std::string_view cookie_header,
                                             std::string& out) const {
  for_each_cookie(cookie_header,
                  [&](std::string_view name, std::string_view /*value*/, std::string_view whole) {
                    if (owns(name)) return true;
                    if (!out.empty()) out.append("; ");
                    out.append(whole);
                    return true;
                  });
}

bool gateway_cookies::set_by(std::string_view set_cookie_value) const noexcept {
  return owns(set_cookie_name(set_cookie_value));
}

std::size_t gateway_cookies::remove_set_cookies(boost::beast::http::fields& response) const {
  std::size_t removed = 0;
  auto [field, end] = response.equal_range(boost::beast::http::field::set_cookie);
  while (field != end) {
    if (set_by(field->value())) {
      field = response.erase(field);
      ++removed;
    } else {
      ++field;
    }
  }
  return removed;
}

}  // namespace varco::gateway
