#include "gateway/login/idp_url_refresh.hpp"

#include "gateway/outbound/client_tls.hpp"
#include "gateway/outbound/freshness.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/beast/core/string.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <utility>

namespace varco::gateway {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

long long whole_seconds(milliseconds wait) {
  return std::chrono::duration_cast<std::chrono::seconds>(wait).count();
}

// Whether a Cache-Control says anything about freshness: without it, freshness() answers its
// floor, and a bare "public" must not bring the refresh down to a minute.
bool states_freshness(std::string_view cache_control) {
  std::string lower(cache_control);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
  return lower.find("max-age") != std::string::npos ||
         lower.find("no-cache") != std::string::npos || lower.find("no-store") != std::string::npos;
}

idp_fetch_outcome classify(saml::reason code) {
  switch (code) {
    case saml::reason::metadata_expired:
      return idp_fetch_outcome::expired;
    case saml::reason::signature_missing:
    case saml::reason::signature_invalid:
    case saml::reason::signature_algorithm_forbidden:
    case saml::reason::digest_algorithm_forbidden:
    case saml::reason::transform_forbidden:
    case saml::reason::reference_mismatch:
    case saml::reason::key_not_trusted:
    case saml::reason::duplicate_id:
      return idp_fetch_outcome::signature_invalid;
    default:
      return idp_fetch_outcome::invalid;
  }
}

// The cache file is replaced whole (a temporary name, then a rename), so a reader never sees half.
void write_cache_file(const idp_url_source& source) {
  const std::string& path = source.config().cache_file;
  if (path.empty()) return;
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(source.document.data(), static_cast<std::streamsize>(source.document.size()));
    out.close();
    if (out && std::rename(temporary.c_str(), path.c_str()) == 0) return;
  }
  std::remove(temporary.c_str());
  spdlog::warn("IdP metadata: {}: cannot write the cache file {} (reason=metadata_cache_failed)",
               source.label(), path);
}

std::optional<std::string> read_cache_file(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string content;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    content.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (content.size() > max_bytes) return std::nullopt;
  }
  if (in.bad()) return std::nullopt;
  return content;
}

// The start-up fallback: the cache file's copy, verified as a fetched document is. Its validators
// are unknown, so the next fetch is a plain GET.
void offer_cache_file(saml::idp_registry& registry, idp_url_source& source) {
  const std::string& path = source.config().cache_file;
  auto content = read_cache_file(path, source.config().max_bytes);
  if (!content) {
    spdlog::warn("IdP metadata: {}: no usable cache file {} (reason=metadata_cache_failed)",
                 source.label(), path);
    return;
  }
  auto report = registry.offer({{source.index(), *content}});
  if (!report.failures.empty()) {
    const auto& why = report.failures.front().why;
    spdlog::warn("IdP metadata: {}: the cache file {} is refused: {} (reason={})", source.label(),
                 path, why.detail, reason_code(classify(why.code)));
    return;
  }
  source.document = std::move(*content);
  source.etag.clear();
  source.last_modified.clear();
  spdlog::warn(
      "IdP metadata: {}: serving the copy of the cache file {} until a fetch succeeds "
      "(reason=metadata_cache_used)",
      source.label(), path);
}

}  // namespace

milliseconds next_fetch_after_success(const saml::metadata_timing& timing,
                                      std::string_view cache_control, milliseconds idp_refresh,
                                      std::chrono::system_clock::time_point now) {
  const milliseconds floor = std::min<milliseconds>(1min, idp_refresh);
  milliseconds wait = idp_refresh;
  if (timing.cache_duration) wait = std::min<milliseconds>(wait, *timing.cache_duration);
  if (states_freshness(cache_control)) {
    const auto floor_seconds = std::chrono::duration_cast<std::chrono::seconds>(floor);
    const auto cap_seconds =
        std::max(floor_seconds, std::chrono::duration_cast<std::chrono::seconds>(idp_refresh));
    wait = std::min<milliseconds>(wait, freshness(cache_control, floor_seconds, cap_seconds));
  }
  if (timing.valid_until) {
    wait = std::min(wait, std::chrono::duration_cast<milliseconds>(*timing.valid_until - now));
  }
  return std::max(wait, floor);
}

milliseconds next_fetch_after_failure(unsigned failures_in_a_row, milliseconds idp_refresh) {
  const unsigned doublings = std::min(failures_in_a_row, 8u) - (failures_in_a_row > 0 ? 1 : 0);
  return std::min<milliseconds>(idp_refresh, milliseconds(1min) * (1u << doublings));
}

fetch_taken take_fetch(saml::idp_registry& registry, idp_url_source& source, fetch_result result,
                       milliseconds idp_refresh) {
  auto refused = [&](idp_fetch_outcome outcome, std::string detail) {
    source.count(outcome);
    ++source.failures_in_a_row;
    const auto wait = next_fetch_after_failure(source.failures_in_a_row, idp_refresh);
    source.next_due = idp_url_source::clock::now() + wait;
    spdlog::warn("IdP metadata: {}: {}; {}; next attempt in {} s (reason={})", source.label(),
                 detail,
                 source.document.empty() ? "no copy of it is in service"
                                         : "its last good copy stays in service",
                 whole_seconds(wait), reason_code(outcome));
    return fetch_taken{outcome, std::move(detail)};
  };
  if (!result) {
    return refused(result.error() == fetch_error::too_large ? idp_fetch_outcome::too_large
                                                            : idp_fetch_outcome::fetch_failed,
                   std::string(reason_code(result.error())) +
                       (result.error() == fetch_error::too_large
                            ? " (over " + std::to_string(source.config().max_bytes) + " bytes)"
                            : ""));
  }
  fetch_response& response = *result;
  const bool not_modified = response.status == 304 && !source.document.empty();
  if (response.status != 200 && !not_modified) {
    return refused(idp_fetch_outcome::http_error, "HTTP " + std::to_string(response.status));
  }
  // A 304 sends the copy held through every check again: a validUntil passes without a change.
  std::string content = not_modified ? source.document : std::move(response.body);
  auto report = registry.offer({{source.index(), content}});
  for (const auto& notice : report.notices) spdlog::warn("IdP metadata: {}", notice);
  if (!report.failures.empty()) {
    const auto& why = report.failures.front().why;
    return refused(classify(why.code), saml::to_string(why));
  }

  const auto outcome = not_modified ? idp_fetch_outcome::not_modified : idp_fetch_outcome::loaded;
  const bool new_document = !not_modified && content != source.document;
  if (!not_modified) source.document = std::move(content);
  // A 304 may carry validators of its own (RFC 9110 §15.4.5); absent ones keep the 200's.
  if (!not_modified || !response.etag.empty()) source.etag = response.etag;
  if (!not_modified || !response.last_modified.empty())
    source.last_modified = response.last_modified;
  if (new_document) write_cache_file(source);
  source.failures_in_a_row = 0;
  source.count(outcome);
  source.succeeded_now();
  const saml::metadata_timing timing =
      report.accepted.empty() ? saml::metadata_timing{} : report.accepted.front().timing;
  const auto wait = next_fetch_after_success(timing, response.cache_control, idp_refresh,
                                             std::chrono::system_clock::now());
  source.next_due = idp_url_source::clock::now() + wait;
  if (outcome == idp_fetch_outcome::loaded) {
    spdlog::info("IdP metadata: {}: {}, {} IdPs in service; next fetch in {} s", source.label(),
                 report.changed ? "loaded" : "fetched, unchanged", report.idp_count,
                 whole_seconds(wait));
  } else {
    spdlog::debug("IdP metadata: {}: not modified; next fetch in {} s", source.label(),
                  whole_seconds(wait));
  }
  return {outcome, {}};
}

std::vector<std::string> load_idp_sources(saml::idp_registry& registry, const conf::saml& config,
                                          const saml_service* previous,
                                          std::vector<std::shared_ptr<idp_url_source>>& out,
                                          std::vector<std::string>& errors) {
  std::vector<saml::fetched_document> carried;
  for (std::size_t i = 0; i < registry.source_count(); ++i) {
    const conf::idp_source& source = registry.source(i);
    if (!source.is_url()) continue;
    auto url = parse_fetch_url(source.url);
    if (!url) {
      errors.push_back("saml: IdP metadata URL " + source.label() + " cannot be fetched");
      continue;
    }
    auto tls = make_client_tls_context(source.ca_file);
    if (!tls) {
      errors.push_back("saml: IdP metadata " + source.label() + ": ca_file: " + tls.error());
      continue;
    }
    // The URL without its query names the source; one that is already taken (the same URL for
    // SPID and CIE, or another query) gets the source's number, so no two series of /metrics
    // share their labels.
    std::string label = source.label();
    const bool taken = std::any_of(out.begin(), out.end(),
                                   [&](const auto& other) { return other->label() == label; });
    if (taken) label += " #" + std::to_string(i);
    auto made = std::make_shared<idp_url_source>(i, registry.kind(i), source, std::move(*url),
                                                 std::move(*tls), std::move(label));
    if (previous != nullptr) {
      for (const auto& before : previous->url_sources) {
        if (!made->same_source(*before)) continue;
        made->take_over(*before);
        break;
      }
    }
    if (!made->document.empty()) carried.push_back({i, made->document});
    out.push_back(std::move(made));
  }
  if (!errors.empty()) return {};

  // The files, and the documents carried over from the running service, in one publish.
  auto report = registry.refresh(std::move(carried));
  std::vector<std::string> problems;
  std::set<std::size_t> in_service;
  for (const auto& accepted : report.accepted) in_service.insert(accepted.source);
  for (const auto& failure : report.failures) {
    spdlog::warn("IdP metadata: {}: {} (reason={})", failure.file, failure.why.detail,
                 saml::reason_code(failure.why.code));
    // A URL source's carried-over copy that fails is fetched below, which says why in its turn.
    if (!registry.source(failure.source).is_url())
      problems.push_back(failure.file + ": " + saml::to_string(failure.why));
  }
  for (const auto& notice : report.notices) spdlog::warn("IdP metadata: {}", notice);

  // The sources without a document in service are fetched now, all at once.
  std::vector<idp_url_source*> missing;
  for (const auto& source : out) {
    if (in_service.contains(source->index())) continue;
    source->document.clear();  // refused again (a new trust certificate): start afresh
    source->etag.clear();
    source->last_modified.clear();
    missing.push_back(source.get());
  }
  if (missing.empty()) return problems;
  asio::io_context io;
  std::vector<std::optional<fetch_result>> results(missing.size());
  for (std::size_t k = 0; k < missing.size(); ++k) {
    asio::co_spawn(io, missing[k]->fetch(),
                   [&results, k](const std::exception_ptr& thrown, fetch_result result) {
                     results[k] = thrown ? fetch_result(fetch_error::io_failed) : std::move(result);
                   });
  }
  io.run();  // each fetch ends within its source's timeout
  for (std::size_t k = 0; k < missing.size(); ++k) {
    idp_url_source& source = *missing[k];
    auto taken = take_fetch(registry, source, std::move(*results[k]), config.idp_refresh);
    if (taken.ok()) continue;
    if (!source.config().cache_file.empty()) offer_cache_file(registry, source);
    if (source.document.empty()) {
      problems.push_back(source.label() + ": " + taken.detail +
                         " (reason=" + std::string(reason_code(taken.outcome)) + ")");
    }
  }
  return problems;
}

awaitable<idp_url_source::clock::time_point> refresh_due_url_sources(const saml_service& service) {
  const milliseconds idp_refresh = service.config->idp_refresh;
  for (const auto& source : service.url_sources) {
    if (source->next_due > idp_url_source::clock::now()) continue;
    auto result = co_await source->fetch();
    take_fetch(*service.idps, *source, std::move(result), idp_refresh);
  }
  auto next = idp_url_source::clock::now() + idp_refresh;
  for (const auto& source : service.url_sources) next = std::min(next, source->next_due);
  co_return next;
}

void write_idp_metadata_metrics(const saml_service& service, metrics_writer& out) {
  if (service.url_sources.empty()) return;
  for (std::size_t i = 0; i < idp_fetch_outcome_count; ++i) {
    const auto outcome = static_cast<idp_fetch_outcome>(i);
    for (const auto& source : service.url_sources) {
      out.counter("varco_idp_metadata_fetches_total",
                  "Fetches of IdP metadata sources given by URL, by how they ended.",
                  static_cast<double>(source->count_of(outcome)),
                  {{"source", source->label()}, {"outcome", outcome_label(outcome)}});
    }
  }
  for (const auto& source : service.url_sources) {
    out.gauge("varco_idp_metadata_last_success_timestamp_seconds",
              "When a fetch of the IdP metadata source last left a verified document in service "
              "(0: never).",
              source->last_success(), {{"source", source->label()}});
  }
}

idp_url_refresher::idp_url_refresher(asio::io_context& control, runtime_function current)
    : timer_(control), current_(std::move(current)) {}

void idp_url_refresher::start() {
  asio::co_spawn(timer_.get_executor(), run(), [](const std::exception_ptr& thrown) {
    if (!thrown) return;
    try {
      std::rethrow_exception(thrown);
    } catch (const std::exception& e) {
      spdlog::error("IdP metadata: the refresh loop stopped: {} (reason=internal_error)", e.what());
    }
  });
}

void idp_url_refresher::wake() {
  woken_ = true;
  timer_.cancel();
}

void idp_url_refresher::stop() {
  stopped_ = true;
  timer_.cancel();
}

awaitable<void> idp_url_refresher::run() {
  while (!stopped_) {
    woken_ = false;
    const auto runtime = current_();  // kept across the fetches: the service points into it
    auto next = idp_url_source::clock::now() + std::chrono::hours(1);
    if (runtime->saml && !runtime->saml->url_sources.empty())
      next = co_await refresh_due_url_sources(*runtime->saml);
    if (stopped_) co_return;
    if (woken_) continue;
    timer_.expires_at(next);
    co_await timer_.async_wait(use_nothrow);
  }
}

}  // namespace varco::gateway
