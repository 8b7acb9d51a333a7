#include "gateway/telemetry/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>

namespace varco::gateway {

namespace {

void append_number(std::string& out, double v) {
  char buf[64];
  // Integers (counters) print exactly; fractions keep enough digits for seconds sums.
  const auto [end, ec] = (v == static_cast<double>(static_cast<std::uint64_t>(v)) && v >= 0)
                             ? std::to_chars(buf, buf + sizeof buf, static_cast<std::uint64_t>(v))
                             : std::to_chars(buf, buf + sizeof buf, v);
  if (ec == std::errc{}) out.append(buf, end);
}

void append_label_value(std::string& out, std::string_view v) {
  for (const char c : v) {
    if (c == '\\') {
      out.append("\\\\");
    } else if (c == '"') {
      out.append("\\\"");
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
}

std::string_view status_class(unsigned status) noexcept {
  static constexpr std::array<std::string_view, 6> classes{"other", "1xx", "2xx",
                                                           "3xx",   "4xx", "5xx"};
  return status >= 100 && status < 600 ? classes[status / 100] : classes[0];
}

}  // namespace

void metrics_shard::count_request(route_class rc, unsigned status) noexcept {
  const auto index = static_cast<std::size_t>(rc);
  if (index >= route_class_count) return;
  requests_[index][status >= 100 && status < status_slots ? status : 0].add();
}

std::size_t metrics_shard::upstream_slot(std::string_view product, std::string_view environment) {
  const auto n = upstream_count_.load(std::memory_order_relaxed);
  for (std::size_t i = 0; i < n; ++i) {
    if (upstreams_[i].product == product && upstreams_[i].environment == environment) return i;
  }
  if (n == max_upstreams) return no_slot;
  upstreams_[n].product = std::string(product);
  upstreams_[n].environment = std::string(environment);
  upstream_count_.store(n + 1, std::memory_order_release);
  return n;
}

void metrics_shard::observe_upstream(std::size_t slot, std::chrono::microseconds latency) noexcept {
  if (slot >= upstream_count_.load(std::memory_order_relaxed)) return;
  auto& h = upstreams_[slot];
  const auto us = static_cast<std::uint64_t>(std::max<std::int64_t>(latency.count(), 0));
  const auto bucket = std::lower_bound(latency_bounds_us.begin(), latency_bounds_us.end(), us) -
                      latency_bounds_us.begin();
  h.buckets[static_cast<std::size_t>(bucket)].add();
  h.sum_us.add(us);
}

void metrics_shard::count_rejection(std::string_view reason_code) {
  const auto n = reason_count_.load(std::memory_order_relaxed);
  for (std::size_t i = 0; i < n; ++i) {
    if (reasons_[i].reason == reason_code) return reasons_[i].count.add();
  }
  // Past the cap, further reason codes share one series rather than growing without bound.
  if (n == max_reasons) {
    if (n > 0) reasons_[n - 1].count.add();
    return;
  }
  reasons_[n].reason = n + 1 == max_reasons ? std::string("overflow") : std::string(reason_code);
  reasons_[n].count.add();
  reason_count_.store(n + 1, std::memory_order_release);
}

void metrics_writer::sample(std::string_view family, std::string_view type, std::string_view help,
                            std::string_view sample_name, metric_labels labels, double value) {
  if (described_.find(family) == described_.end()) {
    described_.emplace(family);
    out_.append("# HELP ").append(family).append(" ").append(help).append("\n");
    out_.append("# TYPE ").append(family).append(" ").append(type).append("\n");
  }
  out_.append(sample_name);
  if (labels.size() > 0) {
    out_.push_back('{');
    bool first = true;
    for (const auto& [k, v] : labels) {
      if (!first) out_.push_back(',');
      first = false;
      out_.append(k).append("=\"");
      append_label_value(out_, v);
      out_.push_back('"');
    }
    out_.push_back('}');
  }
  out_.push_back(' ');
  append_number(out_, value);
  out_.push_back('\n');
}

void metrics_writer::counter(std::string_view name, std::string_view help, double value,
                             metric_labels labels) {
  sample(name, "counter", help, name, labels, value);
}

void metrics_writer::gauge(std::string_view name, std::string_view help, double value,
                           metric_labels labels) {
  sample(name, "gauge", help, name, labels, value);
}

std::string render(std::span<const metrics_shard* const> shards,
                   const std::function<void(metrics_writer&)>& extra) {
  std::string out;
  out.reserve(16 * 1024);
  metrics_writer w(out);

  constexpr std::string_view requests_help = "HTTP requests answered, by route class and status.";
  for (std::size_t rc = 0; rc < route_class_count; ++rc) {
    for (unsigned status = 0; status < metrics_shard::status_slots; ++status) {
      std::uint64_t total = 0;
      for (const auto* s : shards) total += s->requests_[rc][status].get();
      if (total == 0) continue;
      const auto code = std::to_string(status);
      w.counter("varco_http_requests_total", requests_help, static_cast<double>(total),
                {{"route", to_string(static_cast<route_class>(rc))},
                 {"class", status_class(status)},
                 {"status", code}});
    }
  }

  // Shards create slots in their own order: merge by label.
  struct merged {
    std::array<std::uint64_t, latency_bounds_us.size() + 1> buckets{};
    std::uint64_t sum_us = 0;
  };
  std::map<std::pair<std::string, std::string>, merged> histograms;
  for (const auto* s : shards) {
    const auto n = s->upstream_count_.load(std::memory_order_acquire);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& h = s->upstreams_[i];
      auto& m = histograms[{h.product, h.environment}];
      for (std::size_t b = 0; b < m.buckets.size(); ++b) m.buckets[b] += h.buckets[b].get();
      m.sum_us += h.sum_us.get();
    }
  }
  constexpr std::string_view latency = "varco_upstream_latency_seconds";
  constexpr std::string_view latency_help =
      "Time from sending the request upstream to the complete upstream response header.";
  for (const auto& [key, m] : histograms) {
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < m.buckets.size(); ++b) {
      cumulative += m.buckets[b];
      std::string le = "+Inf";
      if (b < latency_bounds_us.size()) {
        le.clear();
        append_number(le, static_cast<double>(latency_bounds_us[b]) / 1e6);
      }
      w.sample(latency, "histogram", latency_help, "varco_upstream_latency_seconds_bucket",
               {{"product", key.first}, {"environment", key.second}, {"le", le}},
               static_cast<double>(cumulative));
    }
    w.sample(latency, "histogram", latency_help, "varco_upstream_latency_seconds_sum",
             {{"product", key.first}, {"environment", key.second}},
             static_cast<double>(m.sum_us) / 1e6);
    w.sample(latency, "histogram", latency_help, "varco_upstream_latency_seconds_count",
             {{"product", key.first}, {"environment", key.second}},
             static_cast<double>(cumulative));
  }

  std::map<std::string, std::uint64_t> reasons;
  for (const auto* s : shards) {
    const auto n = s->reason_count_.load(std::memory_order_acquire);
    for (std::size_t i = 0; i < n; ++i)
      reasons[s->reasons_[i].reason] += s->reasons_[i].count.get();
  }
  for (const auto& [reason, count] : reasons) {
    w.counter("varco_rejections_total", "Requests refused, by reason code.",
              static_cast<double>(count), {{"reason", reason}});
  }

  const auto sum = [&](shard_counter metrics_shard::*member) {
    std::uint64_t total = 0;
    for (const auto* s : shards) total += (s->*member).get();
    return total;
  };
  w.counter("varco_session_cache_hits_total", "Sessions found in the worker's local cache.",
            static_cast<double>(sum(&metrics_shard::cache_hits_)));
  w.counter("varco_session_cache_misses_total",
            "Sessions not in the local cache, looked up in the store.",
            static_cast<double>(sum(&metrics_shard::cache_misses_)));
  w.counter("varco_store_errors_total", "Session store operations that failed.",
            static_cast<double>(sum(&metrics_shard::store_errors_)));
  const auto opened = sum(&metrics_shard::connections_opened_);
  const auto closed = sum(&metrics_shard::connections_closed_);
  w.counter("varco_connections_total", "Client connections accepted.", static_cast<double>(opened));
  w.gauge("varco_active_connections", "Client connections currently open.",
          static_cast<double>(opened >= closed ? opened - closed : 0));
  w.counter("varco_idle_connections_reclaimed_total",
            "Idle client connections closed to make room for new ones at max_connections.",
            static_cast<double>(sum(&metrics_shard::connections_reclaimed_)));

  if (extra) extra(w);
  return out;
}

}  // namespace varco::gateway
