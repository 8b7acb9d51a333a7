#include "gateway/endpoint/signed_in_user.hpp"

#include "gateway/http/cookies.hpp"

namespace varco::gateway {

awaitable<signed_in_user> find_signed_in_user(session::session_service& sessions,
                                              const http::request_header<>& request,
                                              const runtime& current) {
  signed_in_user found;
  for (auto [field, fields_end] = request.equal_range(http::field::cookie); field != fields_end;
       ++field) {
    auto id = find_cookie(field->value(), current.cookie_name);
    if (!id) continue;
    found.cookie_sent = true;
    auto looked_up = co_await sessions.find_shared(*id);
    if (!looked_up) {
      found.store_failed = true;
      co_return found;
    }
    found.user = std::move(*looked_up);
    co_return found;
  }
  co_return found;
}

}  // namespace varco::gateway
