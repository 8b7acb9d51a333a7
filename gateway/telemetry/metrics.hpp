// Prometheus metrics built for the hot path.
//
// Each worker owns one metrics_shard and is the only thread that writes it: an increment is a
// relaxed load and store (a plain add on x86, no locked instruction, no shared cache line). The
// scraping thread reads every shard with relaxed loads and sums them in render(); a scrape may see
// a request counted in one series and not yet in another, which Prometheus tolerates.
#pragma once

#include "gateway/routing/route_class.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace varco::gateway {

// A counter written by one thread and read by others.
class shard_counter {
 public:
  void add(std::uint64_t n = 1) noexcept {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  std::uint64_t get() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// Upper bounds of the upstream latency histogram, in microseconds (1 ms … 10 s).
inline constexpr std::array<std::uint64_t, 13> latency_bounds_us{
    1'000,   2'500,   5'000,     10'000,    25'000,    50'000,    100'000,
    250'000, 500'000, 1'000'000, 2'500'000, 5'000'000, 10'000'000};

class metrics_writer;

class metrics_shard {
 public:
  static constexpr std::size_t max_upstreams = 256;  // (product, environment) pairs
  static constexpr std::size_t max_reasons = 128;    // distinct rejection reason codes
  static constexpr std::size_t no_slot = static_cast<std::size_t>(-1);

  metrics_shard() = default;
  metrics_shard(const metrics_shard&) = delete;
  metrics_shard& operator=(const metrics_shard&) = delete;

  // All the functions below: owner worker thread only.
  void count_request(route_class rc, unsigned status) noexcept;

  // The histogram slot of (product, environment), created on first use (linear search: callers
  // should cache the slot, e.g. per environment). no_slot once max_upstreams are taken.
  std::size_t upstream_slot(std::string_view product, std::string_view environment);
  void observe_upstream(std::size_t slot, std::chrono::microseconds latency) noexcept;

  // varco_rejections_total{reason}: every refused request counts once under its reason code.
  void count_rejection(std::string_view reason_code);

  void session_cache_hit() noexcept { cache_hits_.add(); }
  void session_cache_miss() noexcept { cache_misses_.add(); }
  void store_error() noexcept { store_errors_.add(); }
  void connection_opened() noexcept { connections_opened_.add(); }
  void connection_closed() noexcept { connections_closed_.add(); }
  // An idle connection closed to make room for a new one at server.limits.max_connections.
  void idle_connection_reclaimed() noexcept { connections_reclaimed_.add(); }

 private:
  friend std::string render(std::span<const metrics_shard* const>,
                            const std::function<void(metrics_writer&)>&);

  static constexpr std::size_t status_slots = 600;  // exact status 100..599; 0 = out of range

  // Label strings are written before `size_` is published with release, and never changed, so
  // a reader that acquires `size_` may read labels below it.
  struct histogram {
    std::string product;
    std::string environment;
    std::array<shard_counter, latency_bounds_us.size() + 1> buckets;  // last: above 10 s
    shard_counter sum_us;
  };
  struct reason_counter {
    std::string reason;
    shard_counter count;
  };

  std::array<std::array<shard_counter, status_slots>, route_class_count> requests_;
  std::array<histogram, max_upstreams> upstreams_;
  std::atomic<std::size_t> upstream_count_{0};
  std::array<reason_counter, max_reasons> reasons_;
  std::atomic<std::size_t> reason_count_{0};
  shard_counter cache_hits_, cache_misses_, store_errors_;
  shard_counter connections_opened_, connections_closed_, connections_reclaimed_;
};

using metric_labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// Writes samples in the Prometheus text format 0.0.4; HELP and TYPE are written once per metric
// name, before its first sample. Samples of one metric must be written consecutively.
class metrics_writer {
 public:
  explicit metrics_writer(std::string& out) : out_(out) {}
  void counter(std::string_view name, std::string_view help, double value,
               metric_labels labels = {});
  void gauge(std::string_view name, std::string_view help, double value, metric_labels labels = {});
  // Lower level: `type` is "counter", "gauge" or "histogram"; `sample_name` may carry a suffix
  // (_bucket, _sum, _count) of `family`.
  void sample(std::string_view family, std::string_view type, std::string_view help,
              std::string_view sample_name, metric_labels labels, double value);

 private:
  std::string& out_;
  std::set<std::string, std::less<>> described_;
};

// Sums the shards and renders every metric, then calls `extra` (may be empty) to append gauges and
// counters owned elsewhere (Redis reconnects, config generation, …). Call from one thread at a
// time (the /metrics handler); safe concurrently with the shards' owners writing.
std::string render(std::span<const metrics_shard* const> shards,
                   const std::function<void(metrics_writer&)>& extra = {});

}  // namespace varco::gateway
