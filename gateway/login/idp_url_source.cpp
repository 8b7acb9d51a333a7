#include "gateway/login/idp_url_source.hpp"

#include "base/reason_codes.hpp"

#include <utility>

namespace varco::gateway {
namespace {

// In the order of idp_fetch_outcome.
constexpr std::array<std::string_view, idp_fetch_outcome_count> labels{
    "loaded",    "not_modified",      "fetch_failed", "http_error",
    "too_large", "signature_invalid", "expired",      "invalid"};
constexpr std::array<std::string_view, idp_fetch_outcome_count> reasons{
    "metadata_loaded",     "metadata_not_modified", "metadata_fetch_failed",
    "metadata_http_error", "metadata_too_large",    "metadata_signature_invalid",
    "metadata_expired",    "metadata_invalid"};

}  // namespace

std::string_view outcome_label(idp_fetch_outcome outcome) noexcept {
  return base::code_at(labels, static_cast<std::size_t>(outcome));
}

std::string_view reason_code(idp_fetch_outcome outcome) noexcept {
  return base::code_at(reasons, static_cast<std::size_t>(outcome));
}

idp_url_source::idp_url_source(std::size_t index, saml::provider_kind kind, conf::idp_source config,
                               fetch_url url, std::shared_ptr<asio::ssl::context> tls,
                               std::string label)
    : index_(index),
      kind_(kind),
      config_(std::move(config)),
      url_(std::move(url)),
      label_(std::move(label)),
      tls_(std::move(tls)),
      fetcher_(*tls_) {}

void idp_url_source::take_over(const idp_url_source& previous) {
  document = previous.document;
  etag = previous.etag;
  last_modified = previous.last_modified;
  next_due = previous.next_due;
  failures_in_a_row = previous.failures_in_a_row;
  for (std::size_t i = 0; i < idp_fetch_outcome_count; ++i)
    counts_[i].store(previous.counts_[i].load(std::memory_order_relaxed),
                     std::memory_order_relaxed);
  last_success_ms_.store(previous.last_success_ms_.load(std::memory_order_relaxed),
                         std::memory_order_relaxed);
}

awaitable<fetch_result> idp_url_source::fetch() {
  fetch_request request;
  request.url = config_.url;
  request.max_body_bytes = config_.max_bytes;
  request.timeout = config_.timeout;
  request.headers.emplace_back("Accept",
                               "application/samlmetadata+xml, application/xml;q=0.9, "
                               "text/xml;q=0.8");
  // Validators only with a document to fall back on: a 304 must have something to keep.
  if (!document.empty()) {
    if (!etag.empty()) request.headers.emplace_back("If-None-Match", etag);
    if (!last_modified.empty()) request.headers.emplace_back("If-Modified-Since", last_modified);
  }
  co_return co_await fetcher_.fetch(std::move(request));
}

void idp_url_source::count(idp_fetch_outcome outcome) noexcept {
  counts_[static_cast<std::size_t>(outcome)].fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t idp_url_source::count_of(idp_fetch_outcome outcome) const noexcept {
  return counts_[static_cast<std::size_t>(outcome)].load(std::memory_order_relaxed);
}

double idp_url_source::last_success() const noexcept {
  return static_cast<double>(last_success_ms_.load(std::memory_order_relaxed)) / 1000.0;
}

void idp_url_source::succeeded_now() noexcept {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  last_success_ms_.store(now.count(), std::memory_order_relaxed);
}

}  // namespace varco::gateway
