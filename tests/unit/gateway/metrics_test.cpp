#include "gateway/telemetry/metrics.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <thread>

namespace varco::gateway {
namespace {

// A parsed exposition: sample line (name + labels, as written) → value; families → type.
struct exposition {
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;
  std::vector<std::string> errors;
};

exposition parse(const std::string& text) {
  exposition e;
  std::istringstream in(text);
  std::string line;
  std::set<std::string> helped;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0) {
      helped.insert(line.substr(7, line.find(' ', 7) - 7));
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      const auto name = line.substr(7, line.find(' ', 7) - 7);
      if (!helped.count(name)) e.errors.push_back("TYPE before HELP: " + name);
      if (e.types.count(name)) e.errors.push_back("TYPE twice: " + name);
      e.types[name] = line.substr(line.find(' ', 7) + 1);
      continue;
    }
    const auto space = line.rfind(' ');
    if (space == std::string::npos) {
      e.errors.push_back("bad line: " + line);
      continue;
    }
    const auto key = line.substr(0, space);
    const auto name = key.substr(0, key.find('{'));
    if (name.rfind("varco_", 0) != 0) e.errors.push_back("unprefixed: " + name);
    bool typed = false;
    for (const auto& [family, type] : e.types) {
      if (name == family || name == family + "_bucket" || name == family + "_sum" ||
          name == family + "_count") {
        typed = true;
      }
    }
    if (!typed) e.errors.push_back("sample before TYPE: " + name);
    e.samples[key] = std::stod(line.substr(space + 1));
  }
  return e;
}

TEST(metrics, sums_shards_and_renders_every_family) {
  metrics_shard a, b;
  a.count_request(route_class::product, 200);
  a.count_request(route_class::product, 200);
  b.count_request(route_class::product, 200);
  b.count_request(route_class::product, 502);
  a.count_request(route_class::health, 200);
  a.count_request(route_class::other, 999);
  a.session_cache_hit();
  b.session_cache_hit();
  b.session_cache_miss();
  b.store_error();
  a.connection_opened();
  a.connection_opened();
  b.connection_opened();
  a.connection_closed();
  b.idle_connection_reclaimed();
  a.count_rejection("no_route");
  b.count_rejection("no_route");
  b.count_rejection("path_bad_escape");

  const std::vector<const metrics_shard*> shards{&a, &b};
  const auto text = render(shards);
  const auto e = parse(text);
  ASSERT_TRUE(e.errors.empty()) << e.errors.front() << "\n" << text;

  EXPECT_EQ(e.types.at("varco_http_requests_total"), "counter");
  EXPECT_EQ(e.samples.at(R"(varco_http_requests_total{route="product",class="2xx",status="200"})"),
            3);
  EXPECT_EQ(e.samples.at(R"(varco_http_requests_total{route="product",class="5xx",status="502"})"),
            1);
  EXPECT_EQ(e.samples.at(R"(varco_http_requests_total{route="health",class="2xx",status="200"})"),
            1);
  EXPECT_EQ(e.samples.at(R"(varco_http_requests_total{route="other",class="other",status="0"})"),
            1);
  EXPECT_EQ(e.samples.at("varco_session_cache_hits_total"), 2);
  EXPECT_EQ(e.samples.at("varco_session_cache_misses_total"), 1);
  EXPECT_EQ(e.samples.at("varco_store_errors_total"), 1);
  EXPECT_EQ(e.samples.at("varco_connections_total"), 3);
  EXPECT_EQ(e.types.at("varco_active_connections"), "gauge");
  EXPECT_EQ(e.samples.at("varco_active_connections"), 2);
  EXPECT_EQ(e.samples.at("varco_idle_connections_reclaimed_total"), 1);
  EXPECT_EQ(e.samples.at(R"(varco_rejections_total{reason="no_route"})"), 2);
  EXPECT_EQ(e.samples.at(R"(varco_rejections_total{reason="path_bad_escape"})"), 1);
}

TEST(metrics, histogram_is_cumulative_and_merged_by_label) {
  metrics_shard a, b;
  const auto sa = a.upstream_slot("pagopa", "collaudo");
  const auto sb_other = b.upstream_slot("io", "produzione");
  const auto sb = b.upstream_slot("pagopa", "collaudo");
  EXPECT_EQ(a.upstream_slot("pagopa", "collaudo"), sa);
  EXPECT_NE(sb, sb_other);
  using std::chrono::microseconds;
  a.observe_upstream(sa, microseconds(500));         // ≤ 1 ms
  a.observe_upstream(sa, microseconds(1000));        // ≤ 1 ms (bounds are inclusive)
  b.observe_upstream(sb, microseconds(30'000));      // ≤ 50 ms
  b.observe_upstream(sb, microseconds(20'000'000));  // > 10 s
  b.observe_upstream(sb_other, microseconds(2'000));
  a.observe_upstream(metrics_shard::no_slot, microseconds(1));  // ignored

  const std::vector<const metrics_shard*> shards{&a, &b};
  const auto e = parse(render(shards));
  ASSERT_TRUE(e.errors.empty()) << e.errors.front();
  EXPECT_EQ(e.types.at("varco_upstream_latency_seconds"), "histogram");
  const auto bucket = [&](std::string_view le) {
    return e.samples.at(
        std::string(
            R"(varco_upstream_latency_seconds_bucket{product="pagopa",environment="collaudo",le=")") +
        std::string(le) + "\"}");
  };
  EXPECT_EQ(bucket("0.001"), 2);
  EXPECT_EQ(bucket("0.025"), 2);
  EXPECT_EQ(bucket("0.05"), 3);
  EXPECT_EQ(bucket("10"), 3);
  EXPECT_EQ(bucket("+Inf"), 4);
  EXPECT_EQ(e.samples.at(
                R"(varco_upstream_latency_seconds_count{product="pagopa",environment="collaudo"})"),
            4);
  EXPECT_DOUBLE_EQ(
      e.samples.at(
          R"(varco_upstream_latency_seconds_sum{product="pagopa",environment="collaudo"})"),
      20.0315);
  EXPECT_EQ(
      e.samples.at(
          R"(varco_upstream_latency_seconds_bucket{product="io",environment="produzione",le="0.0025"})"),
      1);
}

TEST(metrics, extra_callback_and_label_escaping) {
  metrics_shard a;
  const std::vector<const metrics_shard*> shards{&a};
  const auto text = render(shards, [](metrics_writer& w) {
    w.counter("varco_redis_reconnects_total", "Reconnections to Redis.", 7);
    w.gauge("varco_config_info", "Loaded config.", 1, {{"file", "a\"b\\c\nd"}});
    w.gauge("varco_config_info", "Loaded config.", 1, {{"file", "second"}});
  });
  const auto e = parse(text);
  ASSERT_TRUE(e.errors.empty()) << e.errors.front() << text;
  EXPECT_EQ(e.samples.at("varco_redis_reconnects_total"), 7);
  EXPECT_EQ(e.samples.at(R"(varco_config_info{file="a\"b\\c\nd"})"), 1);
  EXPECT_EQ(e.samples.at(R"(varco_config_info{file="second"})"), 1);
  EXPECT_EQ(e.samples.at("varco_active_connections"), 0);
  EXPECT_EQ(text.find("varco_http_requests_total"), std::string::npos) << "no zero series";
}

TEST(metrics, slots_are_bounded) {
  metrics_shard a;
  for (std::size_t i = 0; i < metrics_shard::max_upstreams; ++i) {
    EXPECT_EQ(a.upstream_slot("p" + std::to_string(i), "e"), i);
  }
  EXPECT_EQ(a.upstream_slot("one-too-many", "e"), metrics_shard::no_slot);
  for (std::size_t i = 0; i < metrics_shard::max_reasons + 10; ++i) {
    a.count_rejection("r" + std::to_string(i));
  }
  const std::vector<const metrics_shard*> shards{&a};
  const auto e = parse(render(shards));
  EXPECT_EQ(e.samples.at(R"(varco_rejections_total{reason="overflow"})"), 11);
}

TEST(metrics, scrape_while_the_owner_writes) {
  metrics_shard a;
  const auto slot = a.upstream_slot("p", "e");
  std::thread writer([&] {
    for (int i = 0; i < 200000; ++i) {
      a.count_request(route_class::product, 200);
      a.observe_upstream(slot, std::chrono::microseconds(i % 20000));
    }
  });
  const std::vector<const metrics_shard*> shards{&a};
  double last = 0;
  for (int i = 0; i < 50; ++i) {
    const auto e = parse(render(shards));
    const auto it =
        e.samples.find(R"(varco_http_requests_total{route="product",class="2xx",status="200"})");
    if (it != e.samples.end()) {
      EXPECT_GE(it->second, last) << "counters never go backwards";
      last = it->second;
    }
  }
  writer.join();
  const auto e = parse(render(shards));
  EXPECT_EQ(e.samples.at(R"(varco_http_requests_total{route="product",class="2xx",status="200"})"),
            200000);
  EXPECT_EQ(e.samples.at(R"(varco_upstream_latency_seconds_count{product="p",environment="e"})"),
            200000);
}

}  // namespace
}  // namespace varco::gateway
