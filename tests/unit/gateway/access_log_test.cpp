#include "gateway/telemetry/access_log.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace varco::gateway {
namespace {

access_record sample() {
  access_record r;
  r.method = "GET";
  r.path = "/pagopa/x";
  r.status = 200;
  r.upstream = "http://127.0.0.1:9101";
  r.product = "prod-pagopa";
  r.environment = "collaudo";
  r.party = "c_h501";
  r.duration_us = 1234;
  r.bytes_in = 10;
  r.bytes_out = 2048;
  r.request_id = "abc";
  r.client = "203.0.113.9";
  return r;
}

TEST(access_log, record_has_exactly_the_documented_fields) {
  const auto o = boost::json::parse(to_json(sample())).as_object();
  std::set<std::string> keys;
  for (const auto& [k, v] : o) keys.emplace(k);
  EXPECT_EQ(keys, (std::set<std::string>{"method", "path", "status", "upstream", "product",
                                         "environment", "party", "duration_us", "bytes_in",
                                         "bytes_out", "request_id", "client", "reason"}));
  EXPECT_EQ(o.at("status").to_number<std::uint64_t>(), 200u);
  EXPECT_EQ(o.at("duration_us").to_number<std::uint64_t>(), 1234u);
  EXPECT_EQ(o.at("bytes_out").to_number<std::uint64_t>(), 2048u);
  EXPECT_EQ(o.at("product").as_string(), "prod-pagopa");
  EXPECT_TRUE(o.at("reason").is_null());
}

TEST(access_log, query_is_never_logged_and_no_secret_field_exists) {
  auto r = sample();
  r.path = "/saml/acs?SAMLart=secret-token&access_token=xyz";
  const auto line = to_json(r);
  EXPECT_EQ(line.find("secret-token"), std::string::npos);
  EXPECT_EQ(line.find("xyz"), std::string::npos);
  EXPECT_EQ(boost::json::parse(line).at("path").as_string(), "/saml/acs");
  for (auto word : {"cookie", "Cookie", "authorization", "Authorization", "token", "header"}) {
    EXPECT_EQ(line.find(word), std::string::npos) << word;
  }
}

TEST(access_log, json_escaping) {
  auto r = sample();
  r.method = "G\"ET";
  r.path = "/a\\b\n\x01</script>";
  r.reason = "path_bad_escape";
  const auto line = to_json(r);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find('\x01'), std::string::npos);
  const auto o = boost::json::parse(line).as_object();
  EXPECT_EQ(o.at("method").as_string(), "G\"ET");
  EXPECT_EQ(o.at("path").as_string(), "/a\\b\n\x01</script>");
  EXPECT_EQ(o.at("reason").as_string(), "path_bad_escape");
}

TEST(access_log, formatter_renders_json_lines) {
  std::ostringstream os;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(os);
  sink->set_formatter(make_json_formatter());
  spdlog::logger logger("varco", sink);
  logger.warn("quote \" and newline \n and {} braces");
  const auto o = boost::json::parse(os.str()).as_object();
  EXPECT_EQ(o.at("level").as_string(), "warning");
  EXPECT_EQ(o.at("logger").as_string(), "varco");
  EXPECT_EQ(o.at("msg").as_string(), "quote \" and newline \n and {} braces");
  const std::string ts(o.at("ts").as_string());
  ASSERT_EQ(ts.size(), 24u) << ts;  // 2026-01-01T00:00:00.000Z
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts.back(), 'Z');
  EXPECT_EQ(os.str().back(), '\n');
}

// Runs `body` with stdout redirected to a file and returns what was written.
template <typename F>
std::string capture_stdout(F&& body) {
  char path[] = "/tmp/varco-access-log-XXXXXX";
  const int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  std::fflush(stdout);
  const int saved = dup(STDOUT_FILENO);
  dup2(fd, STDOUT_FILENO);
  body();
  std::fflush(stdout);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  close(fd);
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  unlink(path);
  return text;
}

TEST(access_log, setup_logging_writes_both_loggers_to_stdout) {
  bool known = false;
  const auto text = capture_stdout([&] {
    known = setup_logging("debug");
    log_event(spdlog::level::info, "started", {{"workers", 2}, {"msg", "not overridden"}});
    log_event(spdlog::level::trace, "below the level");
    spdlog::debug("through the default logger");
    log_access(sample());
    shutdown_logging();  // drains the queue
  });
  EXPECT_TRUE(known);
  std::istringstream lines(text);
  std::vector<boost::json::object> objects;
  for (std::string line; std::getline(lines, line);) {
    objects.push_back(boost::json::parse(line).as_object());
  }
  ASSERT_EQ(objects.size(), 3u) << text;
  EXPECT_EQ(objects[0].at("msg").as_string(), "started");
  EXPECT_EQ(objects[0].at("workers").as_int64(), 2);
  EXPECT_EQ(objects[0].at("level").as_string(), "info");
  EXPECT_EQ(objects[1].at("msg").as_string(), "through the default logger");
  EXPECT_EQ(objects[1].at("level").as_string(), "debug");
  EXPECT_EQ(objects[2].at("request_id").as_string(), "abc");
  EXPECT_TRUE(objects[2].contains("ts"));
  EXPECT_FALSE(objects[2].contains("level"));
}

TEST(access_log, unknown_level_falls_back_to_info) {
  const auto text = capture_stdout([] {
    EXPECT_FALSE(setup_logging("verbose"));
    log_event(spdlog::level::debug, "hidden");
    log_event(spdlog::level::info, "shown");
    shutdown_logging();
  });
  EXPECT_EQ(text.find("hidden"), std::string::npos);
  EXPECT_NE(text.find("shown"), std::string::npos);
}

TEST(access_log, a_full_queue_drops_lines_instead_of_blocking) {
  const auto text = capture_stdout([] {
    setup_logging("info", 16);
    for (int i = 0; i < 20000; ++i) log_access(sample());
    shutdown_logging();
  });
  // Completing at all is the point (overrun_oldest never blocks); every line that made it is whole.
  std::istringstream lines(text);
  std::size_t n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    ASSERT_NO_THROW(boost::json::parse(line)) << line;
  }
  EXPECT_GT(n, 0u);
  EXPECT_LE(n, 20000u);
}

}  // namespace
}  // namespace varco::gateway
