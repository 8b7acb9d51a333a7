// `varco audit verify|head|cat`, called in-process.
#include "audit_fixture.hpp"
#include "gateway/commands/commands.hpp"

#include <sstream>

namespace varco::saml::audit::test {
namespace {

struct run_result {
  int code;
  std::string out;
  std::string err;
};

run_result run(std::vector<std::string> words) {
  const std::vector<std::string_view> args(words.begin(), words.end());
  std::ostringstream out, err;
  const int code = gateway::commands::run_audit_command(args, out, err);
  return {code, out.str(), err.str()};
}

class audit_command_test : public audit_test {
 protected:
  void SetUp() override {
    auto log = open_log();
    ASSERT_TRUE(log);
    for (int i = 1; i <= 3; ++i) ASSERT_TRUE(append(*log, sample_login(i)));
  }
};

TEST_F(audit_command_test, verify_prints_the_record_count) {
  const auto r = run({"verify", dir.path().string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "ok: 4 records\n");
  EXPECT_EQ(run({"verify", segment("audit-2026-11.jsonl").string()}).out, "ok: 4 records\n");
}

TEST_F(audit_command_test, verify_of_an_altered_log_prints_the_first_error_and_fails) {
  auto lines = read_lines(segment("audit-2026-11.jsonl"));
  lines.erase(lines.begin() + 1);
  write_lines(segment("audit-2026-11.jsonl"), lines);
  const auto r = run({"verify", dir.path().string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(r.err.rfind("audit-2026-11.jsonl:2: seq 3 where 2 was expected", 0), 0u) << r.err;
}

TEST_F(audit_command_test, head_prints_what_verify_expect_takes) {
  const auto head = run({"head", dir.path().string()});
  ASSERT_EQ(head.code, 0) << head.err;
  const std::string expect = head.out.substr(0, head.out.find(' '));
  EXPECT_EQ(expect.rfind("4:", 0), 0u) << head.out;
  EXPECT_NE(head.out.find(" audit-2026-11.jsonl\n"), std::string::npos) << head.out;
  EXPECT_EQ(run({"verify", dir.path().string(), "--expect", expect}).code, 0);
  EXPECT_EQ(run({"verify", dir.path().string(), "--expect", "4:" + std::string(64, 'a')}).code, 1);
}

TEST_F(audit_command_test, cat_prints_the_records_as_written_plain_or_sealed) {
  const std::string plain = read_file(segment("audit-2026-11.jsonl"));
  const auto r = run({"cat", dir.path().string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, plain);
  // The month left behind is sealed; cat prints it back byte for byte, then the new month.
  clock.set(sys_days{2026y / December / 2} + 9h);
  {
    auto log = open_log();
    ASSERT_TRUE(log);
    ASSERT_TRUE(append(*log, sample_login(4)));
    log->wait_until_sealed();
  }
  ASSERT_TRUE(fs::exists(sealed("audit-2026-11.jsonl")));
  const auto both = run({"cat", dir.path().string()});
  EXPECT_EQ(both.code, 0) << both.err;
  EXPECT_EQ(both.out, plain + read_file(segment("audit-2026-12.jsonl")));
  EXPECT_EQ(run({"cat", sealed("audit-2026-11.jsonl").string()}).out, plain);
  EXPECT_EQ(run({"verify", sealed("audit-2026-11.jsonl").string()}).out, "ok: 4 records\n");
}

TEST_F(audit_command_test, cat_stops_at_the_first_record_that_does_not_verify) {
  auto lines = read_lines(segment("audit-2026-11.jsonl"));
  lines[2][lines[2].find("_req2") + 1] = 'X';
  write_lines(segment("audit-2026-11.jsonl"), lines);
  const auto r = run({"cat", dir.path().string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, lines[0] + '\n' + lines[1] + '\n');
  EXPECT_EQ(r.err.rfind("audit-2026-11.jsonl:3: hash mismatch", 0), 0u) << r.err;
}

TEST_F(audit_command_test, help_prints_the_usage) {
  const auto r = run({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("varco audit verify FILE|DIR"), std::string::npos) << r.out;
}

TEST_F(audit_command_test, usage_errors_exit_2) {
  EXPECT_EQ(run({}).code, 2);
  EXPECT_EQ(run({"verify"}).code, 2);
  EXPECT_EQ(run({"verify", dir.path().string(), "--expect", "nonsense"}).code, 2);
  EXPECT_EQ(run({"head"}).code, 2);
  EXPECT_EQ(run({"cat"}).code, 2);
  EXPECT_EQ(run({"rewrite", dir.path().string()}).code, 2);
  EXPECT_EQ(run({"verify", (dir.path() / "missing").string()}).code, 1);
}

}  // namespace
}  // namespace varco::saml::audit::test
