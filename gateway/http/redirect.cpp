#include "gateway/http/redirect.hpp"

#include "gateway/http/security_headers.hpp"

#include <boost/beast/http/field.hpp>

namespace varco::gateway {

namespace http = boost::beast::http;

http::response<http::string_body> redirect_response(http::status status, std::string_view location,
                                                    std::string_view request_id, bool tls,
                                                    bool plain_http) {
  http::response<http::string_body> response{status, 11};
  response.set(http::field::location, location);
  response.set(http::field::cache_control, "no-store");
  add_security_headers(response, tls, plain_http);
  response.set("X-Request-Id", request_id);
  response.prepare_payload();
  return response;
}

}  // namespace varco::gateway
