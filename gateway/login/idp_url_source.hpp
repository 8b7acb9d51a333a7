// One IdP metadata source loaded from a URL (conf::idp_source::url), such as AgID's registry of
// every SPID IdP: its fetcher, what the last good fetch left (the document, its validators), when
// the next fetch is due, and how each fetch ended (the counters of /metrics).
//
// The registry (saml/idp_registry.hpp) holds the verified copy; this holds what fetching needs.
// idp_url_refresh.hpp runs the fetches. Thread-safety: the counters and the last success time
// are atomics, read by any thread (the /metrics handler); everything else is used by one thread
// at a time: the thread building the service, then the server's control thread.
#pragma once

#include "conf/config.hpp"
#include "gateway/outbound/fetch.hpp"
#include "gateway/outbound/fetch_url.hpp"
#include "gateway/outbound/http_fetcher.hpp"
#include "saml/idp.hpp"

#include <boost/asio/ssl/context.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace varco::gateway {

// How one fetch of a URL source ended.
enum class idp_fetch_outcome {
  loaded,             // 200 with a document that verified
  not_modified,       // 304: the copy held is still the server's, and it verified again
  fetch_failed,       // no response: resolve, connect, TLS, timeout, a broken response
  http_error,         // a status other than 200 and 304 (a redirect included: none is followed)
  too_large,          // over the source's max_bytes
  signature_invalid,  // unsigned, tampered, or signed by a key other than the trust certificate
  expired,            // a validUntil has passed
  invalid,            // not IdP metadata varco can use
};
inline constexpr std::size_t idp_fetch_outcome_count = 8;

// "loaded", "not_modified", ...: the outcome label of varco_idp_metadata_fetches_total.
std::string_view outcome_label(idp_fetch_outcome outcome) noexcept;
// The log's reason code of a refusal: "metadata_fetch_failed", "metadata_http_error",
// "metadata_too_large", "metadata_signature_invalid", "metadata_expired", "metadata_invalid".
std::string_view reason_code(idp_fetch_outcome outcome) noexcept;

class idp_url_source {
 public:
  using clock = std::chrono::steady_clock;

  // `index` is the source's number in the registry; `tls` (make_client_tls_context) verifies the
  // https server; `label` names the source in logs and metrics, unique among the service's
  // sources (conf::idp_source::label(), told apart when two URLs differ only in their query).
  idp_url_source(std::size_t index, saml::provider_kind kind, conf::idp_source config,
                 fetch_url url, std::shared_ptr<asio::ssl::context> tls, std::string label);
  idp_url_source(const idp_url_source&) = delete;
  idp_url_source& operator=(const idp_url_source&) = delete;

  std::size_t index() const noexcept { return index_; }
  saml::provider_kind kind() const noexcept { return kind_; }
  const conf::idp_source& config() const noexcept { return config_; }
  const std::string& label() const noexcept { return label_; }

  // The same URL for the same kind of IdP: a reload carries the source's state over.
  bool same_source(const idp_url_source& other) const {
    return kind_ == other.kind_ && config_.url == other.config_.url;
  }
  // A reload: `previous`'s document, validators, schedule and counters, copied (the previous
  // runtime's source may still finish a fetch of its own, which then stays there).
  void take_over(const idp_url_source& previous);

  // GET with the source's bounds; If-None-Match and If-Modified-Since when a document is held.
  // Runs on the caller's executor.
  awaitable<fetch_result> fetch();

  void count(idp_fetch_outcome outcome) noexcept;
  std::uint64_t count_of(idp_fetch_outcome outcome) const noexcept;
  // When a fetch last ended with a document in service (loaded or not_modified), in seconds since
  // the Unix epoch; 0 before the first.
  double last_success() const noexcept;
  void succeeded_now() noexcept;

  // The last document that verified, and its response's validators.
  std::string document;
  std::string etag;
  std::string last_modified;
  clock::time_point next_due{};    // the next fetch; the epoch (now) until the first
  unsigned failures_in_a_row = 0;  // spaces the retries (idp_url_refresh.cpp)

 private:
  const std::size_t index_;
  const saml::provider_kind kind_;
  const conf::idp_source config_;
  const fetch_url url_;
  const std::string label_;
  std::shared_ptr<asio::ssl::context> tls_;  // before fetcher_, which refers to it
  http_fetcher fetcher_;
  std::array<std::atomic<std::uint64_t>, idp_fetch_outcome_count> counts_{};
  std::atomic<std::int64_t> last_success_ms_{0};
};

}  // namespace varco::gateway
