// IdP metadata sources given by URL (idp_url_source.hpp): the fetch before varco serves, the
// refreshes when each source is due (on the server's control thread, never on a worker), the
// cache file of the last good copy, and their counters on /metrics.
//
// Every fetched document goes through the registry's offer(): verified with the source's trust
// certificate and parsed as a metadata file is, and published by the registry's atomic swap. A
// fetch that fails in any way (network, status, size, signature, validUntil) leaves the source's
// last good copy in service, and is logged with its reason code and counted.
#pragma once

#include "gateway/endpoint/runtime.hpp"
#include "gateway/login/idp_url_source.hpp"
#include "gateway/login/saml_service.hpp"
#include "gateway/telemetry/metrics.hpp"
#include "saml/idp_metadata.hpp"
#include "saml/idp_registry.hpp"

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace varco::gateway {

// How long after a good document (200 or 304) the source is fetched again: the earliest of the
// document's cacheDuration, the response's Cache-Control freshness (when it says max-age,
// no-cache or no-store), the time left to its validUntil and idp_refresh; never sooner than a
// minute (or idp_refresh, when that is shorter), so a document that asks for less is not fetched
// in a loop.
std::chrono::milliseconds next_fetch_after_success(const saml::metadata_timing& timing,
                                                   std::string_view cache_control,
                                                   std::chrono::milliseconds idp_refresh,
                                                   std::chrono::system_clock::time_point now);

// How long after the n-th failure in a row: a minute, doubled for each failure after the first,
// at most idp_refresh.
std::chrono::milliseconds next_fetch_after_failure(unsigned failures_in_a_row,
                                                   std::chrono::milliseconds idp_refresh);

// How one fetch ended, for the log and for a start-up error naming the source.
struct fetch_taken {
  idp_fetch_outcome outcome = idp_fetch_outcome::fetch_failed;
  std::string detail;  // why it was refused ("fetch_timeout", "HTTP 500", "key_not_trusted: ...")
  bool ok() const {
    return outcome == idp_fetch_outcome::loaded || outcome == idp_fetch_outcome::not_modified;
  }
};

// What one fetch gave: a 200's body or, after a 304, the copy held, offered to `registry`; the
// outcome counted and logged, the next fetch scheduled, the cache file rewritten when a new
// document verified.
fetch_taken take_fetch(saml::idp_registry& registry, idp_url_source& source, fetch_result result,
                       std::chrono::milliseconds idp_refresh);

// The first load of a new registry, at start-up or reload (the caller's thread waits): every
// file read; each URL source takes over what `previous` (the running service, on reload) had of
// the same URL, whose document is offered again; a URL source left without a document in service
// is fetched, all of them at once, and when that fails its cache file is offered. Everything is
// logged. Returns one line per source that loads nothing ("label: why"), for the error when no
// IdP loads at all; `errors` gets a URL the fetcher cannot use or a CA file OpenSSL refuses.
std::vector<std::string> load_idp_sources(saml::idp_registry& registry, const conf::saml& config,
                                          const saml_service* previous,
                                          std::vector<std::shared_ptr<idp_url_source>>& out,
                                          std::vector<std::string>& errors);

// Every source of `service` that is due, fetched one after the other on the caller's executor.
// Returns when the next one is due. The caller keeps the runtime holding `service` alive.
awaitable<idp_url_source::clock::time_point> refresh_due_url_sources(const saml_service& service);

// varco_idp_metadata_fetches_total{source,outcome} and
// varco_idp_metadata_last_success_timestamp_seconds{source}.
void write_idp_metadata_metrics(const saml_service& service, metrics_writer& out);

// The refresh loop on the server's control io_context: fetches the running runtime's URL sources
// as they fall due, then sleeps until the next one. All members: the control thread only.
class idp_url_refresher {
 public:
  using runtime_function = std::function<std::shared_ptr<const runtime>()>;

  idp_url_refresher(asio::io_context& control, runtime_function current);
  idp_url_refresher(const idp_url_refresher&) = delete;
  idp_url_refresher& operator=(const idp_url_refresher&) = delete;

  void start();
  // The runtime was replaced (SIGHUP): its sources are looked at now, not after the old schedule.
  void wake();
  // No fetch starts after this (the drain); one under way ends with the io_context.
  void stop();

 private:
  awaitable<void> run();

  asio::steady_timer timer_;
  runtime_function current_;
  bool woken_ = false;
  bool stopped_ = false;
};

}  // namespace varco::gateway
