// The browser of one login loop: a keep-alive connection per port it talks to (varco, and the
// OpenID Provider in an OpenID Connect login), reopened when the server closes it as a browser
// would, and one cookie jar for the whole host, as browsers keep one for 127.0.0.1 whatever the
// port (cookie paths are not kept apart: every cookie goes with every request).
//
// Not thread-safe: one per login loop. Network errors throw (boost::system::system_error).
#pragma once

#include "tests/support/http_client.hpp"

#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace varco::bench {

class load_browser {
 public:
  // One request to 127.0.0.1:PORT (Host names the port, as a browser's does) with the jar's
  // cookies; a POST's body is a form (empty: a form without fields). `took` is the exchange's time.
  // The answer's Set-Cookie fields update the jar; redirects are not followed.
  test::http_response send(std::uint16_t port, boost::beast::http::verb method,
                           const std::string& target, const std::string& body,
                           std::chrono::nanoseconds& took);

  // A new browser's empty jar (the connections stay open).
  void forget_cookies() { cookies_.clear(); }

 private:
  void remember_cookies(const test::http_response& response);
  std::string cookie_header() const;

  std::map<std::uint16_t, std::unique_ptr<test::http_client>> connections_;
  std::map<std::string, std::string> cookies_;
};

}  // namespace varco::bench
