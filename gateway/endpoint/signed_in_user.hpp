// The session named by the request's session cookie, for the endpoints that show who is signed in.
#pragma once

#include "gateway/endpoint/runtime.hpp"
#include "gateway/http/asio_types.hpp"
#include "session/session.hpp"
#include "session/session_service.hpp"

#include <memory>

namespace varco::gateway {

struct signed_in_user {
  std::shared_ptr<const session::session> user;  // null: no cookie, or no live session
  bool store_failed = false;                     // the store could not answer
  bool cookie_sent = false;                      // a session cookie came with the request
};

// The first Cookie field naming current.cookie_name decides; a malformed, unknown or expired id
// is no user.
awaitable<signed_in_user> find_signed_in_user(session::session_service& sessions,
                                              const http::request_header<>& request,
                                              const runtime& current);

}  // namespace varco::gateway
