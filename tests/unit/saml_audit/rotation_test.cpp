// Monthly segments, the chain across them, and pruning by the retention.
#include "audit_fixture.hpp"

#include <boost/json/parse.hpp>

namespace varco::saml::audit::test {
namespace {

class rotation_test : public audit_test {
 protected:
  void at(year_month_day day) { clock.set(sys_days{day} + 9h); }
  // Segments the log has left are sealed: read them in whichever form they are.
  boost::json::object line_of(const std::string& name, std::size_t index) const {
    return boost::json::parse(segment_lines(name).at(index)).as_object();
  }
};

TEST_F(rotation_test, a_new_month_starts_a_segment_chained_to_the_last_one) {
  auto log = open_log();
  ASSERT_TRUE(log);
  ASSERT_TRUE(append(*log, sample_login(1)));
  const auto november_head = log->head();
  at(2026y / December / 1);
  ASSERT_TRUE(append(*log, sample_login(2)));
  at(2027y / January / 31);
  ASSERT_TRUE(append(*log, sample_login(3)));
  ASSERT_TRUE(append(*log, sample_login(4)));
  log->wait_until_sealed();

  // The months left are sealed; the current one is plain.
  EXPECT_TRUE(fs::exists(sealed("audit-2026-11.jsonl")));
  EXPECT_TRUE(fs::exists(sealed("audit-2026-12.jsonl")));
  EXPECT_TRUE(fs::exists(segment("audit-2027-01.jsonl")));
  EXPECT_FALSE(fs::exists(segment("audit-2026-11.jsonl")));
  EXPECT_EQ(segment_lines("audit-2026-11.jsonl").size(), 2u);
  EXPECT_EQ(segment_lines("audit-2026-12.jsonl").size(), 2u);
  EXPECT_EQ(read_lines(segment("audit-2027-01.jsonl")).size(), 3u);
  const auto december = line_of("audit-2026-12.jsonl", 0);
  EXPECT_EQ(december.at("kind").as_string(), "segment");
  EXPECT_EQ(december.at("prev_file").as_string(), "audit-2026-11.jsonl");
  EXPECT_EQ(december.at("prev").as_string(), november_head.hash);
  EXPECT_EQ(december.at("seq").as_int64(), std::int64_t(november_head.seq + 1));

  const auto report = verify_audit(dir.path());
  EXPECT_TRUE(report.ok) << report.first_error;
  EXPECT_EQ(report.records, 7u);
  EXPECT_EQ(report.files, 3u);
}

TEST_F(rotation_test, a_clock_set_back_keeps_writing_the_newest_segment) {
  auto log = open_log();
  ASSERT_TRUE(log);
  ASSERT_TRUE(append(*log, sample_login(1)));
  at(2026y / October / 30);
  const auto written = append(*log, sample_login(2));
  ASSERT_TRUE(written);
  EXPECT_EQ(written->file, "audit-2026-11.jsonl");
  EXPECT_TRUE(verify_audit(dir.path()).ok);
}

TEST_F(rotation_test, reopening_in_a_new_month_rotates_on_the_first_append) {
  {
    auto log = open_log();
    ASSERT_TRUE(log);
    ASSERT_TRUE(append(*log, sample_login(1)));
  }
  at(2027y / February / 2);
  auto log = open_log();
  ASSERT_TRUE(log);
  const auto written = append(*log, sample_login(2));
  ASSERT_TRUE(written);
  EXPECT_EQ(written->file, "audit-2027-02.jsonl");
  EXPECT_TRUE(verify_audit(dir.path()).ok);
}

class prune_test : public rotation_test {
 protected:
  // One login in each month from November 2026 to January 2027, retention two months.
  void SetUp() override {
    log = open_log(months{2});
    ASSERT_TRUE(log);
    ASSERT_TRUE(append(*log, sample_login(1)));
    at(2026y / December / 15);
    ASSERT_TRUE(append(*log, sample_login(2)));
    at(2027y / January / 15);
    ASSERT_TRUE(append(*log, sample_login(3)));
    ASSERT_TRUE(verify_audit(dir.path()).ok);
  }
  std::unique_ptr<audit_log> log;
};

TEST_F(prune_test, the_first_append_of_a_month_prunes_what_the_retention_lets_go) {
  // March 2027: November and December ended more than two months ago, January did not.
  at(2027y / March / 1);
  ASSERT_TRUE(append(*log, sample_login(4)));
  log->wait_until_sealed();
  EXPECT_FALSE(segment_exists("audit-2026-11.jsonl"));
  EXPECT_FALSE(segment_exists("audit-2026-12.jsonl"));
  EXPECT_TRUE(segment_exists("audit-2027-01.jsonl"));

  // The prune record follows the new segment's header and names the kept anchor.
  const auto prune = line_of("audit-2027-03.jsonl", 1);
  EXPECT_EQ(prune.at("kind").as_string(), "prune");
  EXPECT_EQ(prune.at("deleted").as_array().size(), 2u);
  EXPECT_EQ(prune.at("anchor_file").as_string(), "audit-2027-01.jsonl");
  EXPECT_EQ(prune.at("anchor_prev").as_string(),
            line_of("audit-2027-01.jsonl", 0).at("prev").as_string());

  const auto report = verify_audit(dir.path());
  EXPECT_TRUE(report.ok) << report.first_error;
  EXPECT_EQ(report.files, 2u);
  EXPECT_EQ(report.records, 5u);  // January: 2; March: header, prune, login
}

TEST_F(prune_test, explicit_prune_returns_what_it_deleted_and_keeps_the_current_segment) {
  const auto deleted = log->prune(sys_days{2027y / February / 10});
  ASSERT_TRUE(deleted);
  EXPECT_EQ(*deleted, std::vector<std::string>{"audit-2026-11.jsonl"});
  // Far in the future nothing but the newest (current) segment may go.
  const auto later = log->prune(sys_days{2030y / January / 1});
  ASSERT_TRUE(later);
  EXPECT_EQ(*later, std::vector<std::string>{"audit-2026-12.jsonl"});
  log->wait_until_sealed();
  EXPECT_FALSE(segment_exists("audit-2026-12.jsonl"));
  EXPECT_TRUE(segment_exists("audit-2027-01.jsonl"));
  const auto report = verify_audit(dir.path());
  EXPECT_TRUE(report.ok) << report.first_error;
}

TEST_F(prune_test, deleting_the_kept_anchor_afterwards_is_caught) {
  at(2027y / March / 1);
  ASSERT_TRUE(append(*log, sample_login(4)));
  log->wait_until_sealed();
  ASSERT_TRUE(fs::remove(sealed("audit-2027-01.jsonl")));
  const auto report = verify_audit(dir.path());
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.first_error.find("keeps audit-2027-01.jsonl as the oldest segment"),
            std::string::npos)
      << report.first_error;
}

TEST_F(prune_test, deleting_the_oldest_segment_without_a_prune_record_is_caught) {
  log->wait_until_sealed();
  ASSERT_TRUE(fs::remove(sealed("audit-2026-11.jsonl")));
  const auto report = verify_audit(dir.path());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_error.rfind("audit-2026-12.jsonl:1: ", 0), 0u) << report.first_error;
  EXPECT_NE(report.first_error.find("no prune record"), std::string::npos) << report.first_error;
}

TEST_F(prune_test, deleting_a_middle_segment_is_caught) {
  log->wait_until_sealed();
  ASSERT_TRUE(fs::remove(sealed("audit-2026-12.jsonl")));
  const auto report = verify_audit(dir.path());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_error.rfind("audit-2027-01.jsonl:1: ", 0), 0u) << report.first_error;
  EXPECT_NE(report.first_error.find("a segment is missing"), std::string::npos)
      << report.first_error;
}

TEST(retention, must_be_at_least_a_month) {
  temp_directory dir;
  std::string error;
  EXPECT_FALSE(audit_log::open(dir.path(), months{0}, error));
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace varco::saml::audit::test
