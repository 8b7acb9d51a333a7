// The Assistenza counters in /metrics: requests stored or refused, webhook deliveries, retries
// and dead letters.
//
// Process-wide on purpose: the forwarder runs once per process, not per worker, and these move
// a few times a minute at most, so one set of relaxed atomics beats a per-worker shard. Any
// thread may add and read.
#pragma once

#include "gateway/telemetry/metrics.hpp"

#include <atomic>
#include <cstdint>
#include <string_view>

namespace varco::gateway {

struct support_counters {
  std::atomic<std::uint64_t> stored{0};           // XADD succeeded, confirmation sent
  std::atomic<std::uint64_t> invalid{0};          // form refused with field errors
  std::atomic<std::uint64_t> store_failed{0};     // Redis unavailable: 503, nothing confirmed
  std::atomic<std::uint64_t> delivered{0};        // webhook answered 2xx, entry acknowledged
  std::atomic<std::uint64_t> failed_attempts{0};  // webhook attempts that failed
  std::atomic<std::uint64_t> dead_lettered{0};    // gave up: moved to the dead-letter stream

  static support_counters& process() {
    static support_counters counters;
    return counters;
  }
  static void add(std::atomic<std::uint64_t>& counter) {
    counter.fetch_add(1, std::memory_order_relaxed);
  }
};

inline void write_support_metrics(metrics_writer& out) {
  const auto& c = support_counters::process();
  auto value = [](const std::atomic<std::uint64_t>& a) {
    return static_cast<double>(a.load(std::memory_order_relaxed));
  };
  constexpr std::string_view requests_help = "Assistenza form submissions by outcome.";
  out.counter("varco_support_requests_total", requests_help, value(c.stored),
              {{"outcome", "stored"}});
  out.counter("varco_support_requests_total", requests_help, value(c.invalid),
              {{"outcome", "invalid"}});
  out.counter("varco_support_requests_total", requests_help, value(c.store_failed),
              {{"outcome", "store_failed"}});
  constexpr std::string_view webhook_help = "Assistenza webhook attempts by outcome.";
  out.counter("varco_support_webhook_total", webhook_help, value(c.delivered),
              {{"outcome", "delivered"}});
  out.counter("varco_support_webhook_total", webhook_help, value(c.failed_attempts),
              {{"outcome", "failed"}});
  out.counter("varco_support_webhook_total", webhook_help, value(c.dead_lettered),
              {{"outcome", "dead_lettered"}});
}

}  // namespace varco::gateway
