// Shared by the audit tests: a private directory, a clock the test moves, and helpers to read
// and rewrite segment files the way an intruder (or a crash) would.
#pragma once

#include "saml/audit/audit_entries.hpp"
#include "saml/audit/audit_log.hpp"
#include "saml/audit/segment_reader.hpp"
#include "saml/audit/verify.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace varco::saml::audit::test {

namespace fs = std::filesystem;
using namespace std::chrono;

class temp_directory {
 public:
  temp_directory() {
    std::random_device random;
    path_ = fs::temp_directory_path() / ("varco-audit-" + std::to_string(random()));
    fs::create_directories(path_);
  }
  ~temp_directory() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  temp_directory(const temp_directory&) = delete;
  temp_directory& operator=(const temp_directory&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A clock the test sets; copies share the time, so the log's copy sees every change.
class fake_clock {
 public:
  explicit fake_clock(sys_days day) { set(day + 12h); }
  void set(audit_time t) { now_->store(t.time_since_epoch().count()); }
  base::clock_function function() const {
    return [now = now_] { return audit_time{milliseconds{now->load()}}; };
  }

 private:
  std::shared_ptr<std::atomic<std::int64_t>> now_ = std::make_shared<std::atomic<std::int64_t>>();
};

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

inline std::vector<std::string> read_lines(const fs::path& path) {
  std::vector<std::string> out;
  std::istringstream in(read_file(path));
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

inline void write_lines(const fs::path& path, const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + '\n';
  write_file(path, text);
}

inline authn_entry sample_login(int n) {
  authn_entry e;
  e.idp_entity_id = "https://idp.example.it";
  e.request_id = "_req" + std::to_string(n);
  e.request_issue_instant = "2026-11-28T11:59:58.000Z";
  e.request_xml = "<samlp:AuthnRequest ID=\"_req" + std::to_string(n) + "\"/>";
  e.response_id = "_resp" + std::to_string(n);
  e.response_issue_instant = "2026-11-28T12:00:00.000Z";
  e.response_issuer = "https://idp.example.it";
  e.response_xml = "<samlp:Response ID=\"_resp" + std::to_string(n) + "\">…</samlp:Response>";
  e.assertion_id = "_assertion" + std::to_string(n);
  e.name_id = "_nameid" + std::to_string(n);
  e.name_qualifier = "https://idp.example.it";
  e.fiscal_number = "TINIT-RSSMRA80A01H501U";
  e.authn_context = "https://www.spid.gov.it/SpidL2";
  e.outcome = "success";
  e.client_address = "192.0.2.7";
  return e;
}

class audit_test : public ::testing::Test {
 protected:
  std::unique_ptr<audit_log> open_log(months retention = months{24},
                                      segment_options segments = {}) {
    std::string error;
    auto log = audit_log::open(dir.path(), retention, error, clock.function(), segments);
    EXPECT_TRUE(log) << error;
    return log;
  }
  fs::path segment(const std::string& name) const { return dir.path() / name; }
  fs::path sealed(const std::string& name) const { return dir.path() / (name + ".zst"); }
  // A segment in either form (call audit_log::wait_until_sealed first when it may be sealing).
  bool segment_exists(const std::string& name) const {
    return fs::exists(segment(name)) || fs::exists(sealed(name));
  }
  std::string segment_records(const std::string& name) const {
    std::string error;
    auto text = read_segment(fs::exists(segment(name)) ? segment(name) : sealed(name),
                             std::uint64_t{1} << 30, error);
    EXPECT_TRUE(text) << error;
    return text.value_or("");
  }
  std::vector<std::string> segment_lines(const std::string& name) const {
    std::vector<std::string> out;
    std::istringstream in(segment_records(name));
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

  temp_directory dir;
  fake_clock clock{sys_days{2026y / November / 28}};
};

}  // namespace varco::saml::audit::test
