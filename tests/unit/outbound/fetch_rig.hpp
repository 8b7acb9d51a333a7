// What the fetcher's loopback tests share: an io_context, a fetcher on a client TLS context, and
// a fetch run to completion on the test's thread.
#pragma once

#include "gateway/outbound/client_tls.hpp"
#include "gateway/outbound/http_fetcher.hpp"
#include "loopback_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

namespace varco::gateway::testing {

// "ok" for a response, else the error's reason code: readable in a failed EXPECT_EQ.
inline std::string outcome(const fetch_result& result) {
  return result ? std::string("ok") : std::string(reason_code(result.error()));
}

inline std::shared_ptr<asio::ssl::context> client_context(const std::string& ca_file) {
  auto context = make_client_tls_context(ca_file);
  if (!context) throw std::runtime_error(context.error());
  return *context;
}

class fetch_rig : public ::testing::Test {
 protected:
  // The rig's fetcher trusts the system's CA store.
  fetch_rig() : tls_(client_context({})), fetcher_(*tls_) {}

  // Runs the fetch on io_ until it completes, through `through` or else the rig's fetcher.
  fetch_result fetch(fetch_request request, fetcher* through = nullptr) {
    auto out = std::make_shared<std::optional<fetch_result>>();
    fetcher& client = through ? *through : fetcher_;
    asio::co_spawn(io_, client.fetch(std::move(request)),
                   [out](const std::exception_ptr& failure, fetch_result result) {
                     if (failure) std::rethrow_exception(failure);
                     *out = std::move(result);
                   });
    EXPECT_TRUE(run_until(io_, [&] { return out->has_value(); })) << "the fetch did not end";
    return out->has_value() ? std::move(**out) : fetch_result(fetch_error::io_failed);
  }

  fetch_result get(const std::string& url, fetcher* through = nullptr) {
    fetch_request request;
    request.url = url;
    return fetch(std::move(request), through);
  }

  asio::io_context io_;
  std::shared_ptr<asio::ssl::context> tls_;
  http_fetcher fetcher_;
};

}  // namespace varco::gateway::testing
