// Log files and their rotation on the real process: logging.file and logging.access_file receive
// the JSON lines, and after "move the files, then SIGUSR1" (logrotate without copytruncate) new
// lines go to fresh files while the moved ones keep every earlier line; none is lost or torn.
#include "tests/support/echoed.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/gateway_stack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_sessions.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <stop_token>
#include <thread>

namespace varco::integration {

using namespace varco::test;
using namespace varco::test::gateway_directory;

namespace {

// The stack's config with `logging` replacing its logging section.
std::string with_logging(const gateway_stack& stack, const std::string& logging) {
  std::string yaml = stack.config_yaml();
  const std::string section = "logging: {level: info, access_log: true}\n";
  const auto at = yaml.find(section);
  if (at == std::string::npos) throw std::runtime_error("the fixture's logging section moved");
  return yaml.replace(at, section.size(), logging);
}

// Every complete line of `file` as a JSON object; a line that does not parse as one (torn,
// interleaved) fails the test. A last line still being written (no '\n' yet) is left for later.
std::vector<boost::json::object> json_lines(const fs::path& file) {
  std::vector<boost::json::object> lines;
  if (!fs::exists(file)) return lines;
  const std::string text = read_file(file);
  std::size_t start = 0;
  for (std::size_t end = text.find('\n'); end != std::string::npos;
       start = end + 1, end = text.find('\n', start)) {
    const std::string line = text.substr(start, end - start);
    boost::system::error_code ec;
    auto value = boost::json::parse(line, ec);
    if (ec || !value.is_object()) {
      ADD_FAILURE() << file << ": not a JSON object: " << line;
      continue;
    }
    lines.push_back(std::move(value.as_object()));
  }
  return lines;
}

// How many access records of `file` have each path.
std::map<std::string, int> access_paths(const fs::path& file) {
  std::map<std::string, int> paths;
  for (const auto& line : json_lines(file)) {
    if (!line.contains("method")) continue;  // an application line
    ++paths[std::string(line.at("path").as_string())];
  }
  return paths;
}

// The "msg" of every application line of `file`.
std::vector<std::string> messages(const fs::path& file) {
  std::vector<std::string> out;
  for (const auto& line : json_lines(file))
    if (const auto* msg = line.if_contains("msg")) out.emplace_back(msg->as_string());
  return out;
}

bool has_message(const fs::path& file, const std::string& part) {
  for (const auto& msg : messages(file))
    if (msg.find(part) != std::string::npos) return true;
  return false;
}

std::string numbered(const std::string& prefix, int i) { return prefix + std::to_string(i); }

// Each of `count` requests once, to /pagopa/<phase>-<i> (each path names exactly one request).
void make_requests(std::uint16_t port, const std::string& phase, int count) {
  for (int i = 0; i < count; ++i)
    ASSERT_NE(http_get(port, numbered("/pagopa/" + phase + "-", i)).status, 0u);
}

// True when `paths` holds /pagopa/<phase>-0 … -<count-1>, each once.
bool holds_all(const std::map<std::string, int>& paths, const std::string& phase, int count) {
  for (int i = 0; i < count; ++i) {
    const auto found = paths.find(numbered("/pagopa/" + phase + "-", i));
    if (found == paths.end() || found->second != 1) return false;
  }
  return true;
}

int count_phase(const std::map<std::string, int>& paths, const std::string& phase) {
  int n = 0;
  for (const auto& [path, times] : paths)
    if (path.rfind("/pagopa/" + phase + "-", 0) == 0) n += times;
  return n;
}

TEST(log_files, moved_then_sigusr1_new_lines_go_to_fresh_files_and_none_is_lost) {
  gateway_stack stack;
  fs::create_directory(stack.dir / "logs");
  stack.gateway = stack.start_gateway_with(with_logging(stack,
                                                        "logging:\n"
                                                        "  level: info\n"
                                                        "  file: logs/varco.log\n"
                                                        "  access_file: logs/access.log\n"),
                                           "logged");
  const auto port = stack.gateway->port();
  const fs::path app = stack.dir / "logs/varco.log";
  const fs::path access = stack.dir / "logs/access.log";
  const fs::path app_moved = stack.dir / "logs/varco.log.1";
  const fs::path access_moved = stack.dir / "logs/access.log.1";

  // The files, not stdout, get the lines; application and access lines apart.
  EXPECT_TRUE(eventually([&] { return has_message(app, "listening on"); }));
  EXPECT_EQ(stack.gateway->output().find("listening on"), std::string::npos);
  constexpr int before = 20;
  make_requests(port, "before", before);
  ASSERT_TRUE(eventually([&] { return holds_all(access_paths(access), "before", before); }));
  EXPECT_EQ(count_phase(access_paths(app), "before"), 0);

  fs::rename(app, app_moved);
  fs::rename(access, access_moved);
  // Requests keep coming while the files are moved and reopened; each must land in one file.
  std::atomic<int> during{0};
  std::atomic<bool> traffic_failed{false};
  // A jthread: an assertion that returns early still stops and joins it.
  std::jthread traffic([&](const std::stop_token& stop) {
    try {
      while (!stop.stop_requested()) {
        if (http_get(port, numbered("/pagopa/during-", during)).status == 0) break;
        ++during;
      }
    } catch (const std::exception&) {
      traffic_failed = true;  // asserted below, on the test's thread
    }
  });
  ASSERT_TRUE(eventually([&] { return during >= 5; }));
  stack.gateway->signal(SIGUSR1);
  ASSERT_TRUE(eventually([&] { return has_message(app, "log file reopened"); }));
  ASSERT_TRUE(eventually([&] { return count_phase(access_paths(access), "during") >= 5; }));
  traffic.request_stop();
  traffic.join();
  ASSERT_FALSE(traffic_failed);

  constexpr int after = 20;
  make_requests(port, "after", after);
  ASSERT_TRUE(eventually([&] { return holds_all(access_paths(access), "after", after); }));

  // Every request of every phase is in exactly one of the two access files, once.
  std::map<std::string, int> all = access_paths(access_moved);
  ASSERT_TRUE(eventually([&] {
    all = access_paths(access_moved);
    for (const auto& [path, times] : access_paths(access)) all[path] += times;
    return holds_all(all, "during", during);
  })) << "requests during the rotation: "
      << during << ", logged: " << count_phase(all, "during");
  EXPECT_EQ(count_phase(all, "during"), during);
  const auto old_access = access_paths(access_moved);
  const auto new_access = access_paths(access);
  EXPECT_TRUE(holds_all(old_access, "before", before));
  EXPECT_EQ(count_phase(old_access, "after"), 0);
  EXPECT_EQ(count_phase(new_access, "before"), 0);
  EXPECT_TRUE(holds_all(new_access, "after", after));
  // The application log rotated too: start-up in the old file, the reopen notes in the new one.
  EXPECT_TRUE(has_message(app_moved, "listening on"));
  EXPECT_FALSE(has_message(app, "listening on"));
  int reopened = 0;
  for (const auto& line : json_lines(app))
    if (const auto* msg = line.if_contains("msg"); msg && msg->as_string() == "log file reopened") {
      ++reopened;
      const auto path = std::string(line.at("path").as_string());
      EXPECT_TRUE(path == app.string() || path == access.string()) << path;
    }
  EXPECT_EQ(reopened, 2);

  // A SIGTERM exit loses nothing either: the last lines are in the file when the process is gone.
  stack.gateway->signal(SIGTERM);
  ASSERT_EQ(stack.gateway->wait_exit(std::chrono::seconds(15)), 0);
  EXPECT_TRUE(has_message(app, "stopped"));
  EXPECT_EQ(count_phase(access_paths(access), "after"), after);
}

TEST(log_files, when_the_directory_is_gone_sigusr1_keeps_writing_to_the_open_files) {
  gateway_stack stack;
  fs::create_directory(stack.dir / "logs");
  stack.gateway =
      stack.start_gateway_with(with_logging(stack, "logging: {file: logs/varco.log}\n"), "logged");
  const auto port = stack.gateway->port();
  make_requests(port, "before", 3);

  fs::rename(stack.dir / "logs", stack.dir / "logs.moved");  // logs/varco.log cannot be reopened
  const fs::path still_open = stack.dir / "logs.moved/varco.log";
  stack.gateway->signal(SIGUSR1);
  ASSERT_TRUE(eventually([&] { return has_message(still_open, "reason=log_reopen_failed"); }));
  EXPECT_FALSE(has_message(still_open, "log file reopened"));
  int failures = 0;
  for (const auto& line : json_lines(still_open)) {
    if (!line.contains("error")) continue;
    ++failures;
    EXPECT_EQ(line.at("level").as_string(), "error");
    EXPECT_EQ(line.at("path").as_string(), (stack.dir / "logs/varco.log").string());
    EXPECT_EQ(line.at("error").as_string(), "No such file or directory");
  }
  EXPECT_EQ(failures, 1);

  // Still serving, still logging (access lines go with the application log here).
  constexpr int after = 5;
  make_requests(port, "after", after);
  EXPECT_TRUE(eventually([&] { return holds_all(access_paths(still_open), "after", after); }));
  EXPECT_FALSE(fs::exists(stack.dir / "logs"));
  EXPECT_EQ(http_get(port, "/healthz").status, 200u);
}

TEST(log_files, sigusr1_with_stdout_logging_is_a_logged_no_op) {
  gateway_stack stack;
  const auto port = stack.gateway->port();
  stack.gateway->signal(SIGUSR1);
  ASSERT_TRUE(eventually(
      [&] { return stack.gateway->output().find("nothing to reopen") != std::string::npos; }));
  EXPECT_EQ(http_get(port, "/healthz").status, 200u);
  make_requests(port, "after", 3);
  EXPECT_TRUE(eventually([&] {
    return stack.gateway->output().find("\"path\":\"/pagopa/after-2\"") != std::string::npos;
  }));
  // A second one too: the handler is re-armed, and the default action (exit) never applies.
  stack.gateway->signal(SIGUSR1);
  EXPECT_TRUE(eventually([&] {
    const auto log = stack.gateway->output();
    const auto first = log.find("nothing to reopen");
    return log.find("nothing to reopen", first + 1) != std::string::npos;
  }));
  EXPECT_EQ(http_get(port, "/healthz").status, 200u);
  EXPECT_EQ(stack.gateway->wait_exit(std::chrono::milliseconds(0)), -1);  // has not ended
}

}  // namespace
}  // namespace varco::integration
