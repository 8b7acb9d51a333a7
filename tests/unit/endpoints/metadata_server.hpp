// A real HTTP server on 127.0.0.1:0 with a thread of its own, for the tests of IdP metadata
// loaded by URL: build_saml_service waits for its fetches on the test's thread, so the server
// cannot share that thread. Each request is read with Beast, recorded, and answered by the
// handler the test sets (404 until then); one request per connection, as the fetcher sends.
// Every member may be called from the test's thread while the server runs.
#pragma once

#include <boost/beast/http.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace varco::gateway::testing {

using metadata_request = boost::beast::http::request<boost::beast::http::string_body>;

struct metadata_answer {
  unsigned status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> fields;  // ETag, Cache-Control, ...
};

class metadata_server {
 public:
  using handler = std::function<metadata_answer(const metadata_request&)>;

  metadata_server();
  ~metadata_server();
  metadata_server(const metadata_server&) = delete;
  metadata_server& operator=(const metadata_server&) = delete;

  std::uint16_t port() const noexcept;
  std::string url(std::string_view path) const;  // http://127.0.0.1:<port><path>

  void answer_with(handler answer);
  // Every request so far, in order.
  std::vector<metadata_request> requests() const;
  // Stops listening: later connections are refused (a registry that is down).
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace varco::gateway::testing
