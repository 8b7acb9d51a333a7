#include "gateway/login/pre_login.hpp"

#include "gateway/http/cookies.hpp"
#include "session/session_id.hpp"

namespace varco::gateway {

bool from_browser_of(const http::request_header<>& request, std::string_view cookie_name,
                     std::string_view binding) {
  for (auto [field, fields_end] = request.equal_range(http::field::cookie); field != fields_end;
       ++field) {
    auto value = find_cookie(field->value(), cookie_name);
    if (value && session::session_key(*value) == binding) return true;
  }
  return false;
}

}  // namespace varco::gateway
