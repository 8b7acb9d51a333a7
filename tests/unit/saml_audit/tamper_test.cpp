// What `varco audit verify` catches, one alteration per test, and what it cannot catch without an
// exported head.
#include "audit_fixture.hpp"
#include "saml/audit/record_codec.hpp"

#include <boost/json/parse.hpp>

namespace varco::saml::audit::test {
namespace {

class tamper_test : public audit_test {
 protected:
  // Six records: the segment header and five logins, lines 1–6 of audit-2026-11.jsonl.
  void SetUp() override {
    auto log = open_log();
    ASSERT_TRUE(log);
    for (int i = 1; i <= 5; ++i) ASSERT_TRUE(append(*log, sample_login(i)));
    head = log->head();
    ASSERT_TRUE(verify_audit(dir.path()).ok);
  }
  fs::path file() const { return segment("audit-2026-11.jsonl"); }

  // The error must name the file and line.
  static void expect_error_at(const verify_report& report, const std::string& where,
                              const std::string& what) {
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_error.rfind(where + ": ", 0), 0u) << report.first_error;
    EXPECT_NE(report.first_error.find(what), std::string::npos) << report.first_error;
  }

  record_ref head;
};

TEST_F(tamper_test, one_edited_byte_in_a_middle_record_names_its_line) {
  auto lines = read_lines(file());
  lines[2][lines[2].find("RSSMRA") + 3] = 'X';  // a fiscal number altered
  write_lines(file(), lines);
  expect_error_at(verify_audit(dir.path()), "audit-2026-11.jsonl:3", "hash mismatch");
}

TEST_F(tamper_test, an_edited_hash_is_caught_too) {
  auto lines = read_lines(file());
  auto& hash_char = lines[3][lines[3].size() - 5];
  hash_char = hash_char == 'a' ? 'b' : 'a';
  write_lines(file(), lines);
  expect_error_at(verify_audit(dir.path()), "audit-2026-11.jsonl:4", "hash mismatch");
}

TEST_F(tamper_test, a_deleted_middle_line_is_caught) {
  auto lines = read_lines(file());
  lines.erase(lines.begin() + 2);
  write_lines(file(), lines);
  expect_error_at(verify_audit(dir.path()), "audit-2026-11.jsonl:3", "seq 4 where 3 was expected");
}

TEST_F(tamper_test, reordered_lines_are_caught) {
  auto lines = read_lines(file());
  std::swap(lines[2], lines[3]);
  write_lines(file(), lines);
  expect_error_at(verify_audit(dir.path()), "audit-2026-11.jsonl:3", "seq 4 where 3 was expected");
}

TEST_F(tamper_test, a_record_forged_with_a_fresh_hash_breaks_the_next_link) {
  auto lines = read_lines(file());
  auto forged = parse_record(lines[2]);
  ASSERT_TRUE(forged);
  forged->fields["fiscal_number"] = "TINIT-XXXXXX00X00X000X";
  auto sealed = seal_record(forged->header, forged->fields).line;
  sealed.pop_back();
  lines[2] = sealed;
  write_lines(file(), lines);
  expect_error_at(verify_audit(dir.path()), "audit-2026-11.jsonl:4",
                  "prev is not the hash of the record before");
}

// The limit of any hash chain kept next to the data: rewriting everything after a point verifies.
// An exported head (`varco audit head`, kept elsewhere) is what catches it.
TEST_F(tamper_test, a_rewritten_tail_verifies_unless_checked_against_an_exported_head) {
  auto lines = read_lines(file());
  std::string prev = parse_record(lines[1])->hash;
  for (std::size_t i = 2; i < lines.size(); ++i) {
    auto record = parse_record(lines[i]);
    ASSERT_TRUE(record);
    record->header.prev = prev;
    record->fields["client_address"] = "198.51.100.1";
    auto sealed = seal_record(record->header, record->fields);
    sealed.line.pop_back();
    lines[i] = sealed.line;
    prev = sealed.hash;
  }
  write_lines(file(), lines);
  EXPECT_TRUE(verify_audit(dir.path()).ok);
  verify_options options;
  options.expect = expected_record{head.seq, head.hash};
  expect_error_at(verify_audit(dir.path(), options), "audit-2026-11.jsonl:6",
                  "does not have the hash exported earlier");
}

TEST_F(tamper_test, a_truncated_log_fails_against_an_exported_head) {
  auto lines = read_lines(file());
  lines.pop_back();
  write_lines(file(), lines);
  EXPECT_TRUE(verify_audit(dir.path()).ok);  // a plain prefix is a valid chain
  verify_options options;
  options.expect = expected_record{head.seq, head.hash};
  const auto report = verify_audit(dir.path(), options);
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.first_error.find("record 6 is not in the log"), std::string::npos)
      << report.first_error;
}

TEST_F(tamper_test, a_segment_header_inserted_or_renamed_is_caught) {
  fs::rename(file(), segment("audit-2026-10.jsonl"));
  expect_error_at(verify_audit(dir.path()), "audit-2026-10.jsonl:1", "names another file");
}

TEST_F(tamper_test, a_single_file_verifies_on_its_own) {
  const auto report = verify_audit(file());
  EXPECT_TRUE(report.ok) << report.first_error;
  EXPECT_EQ(report.records, 6u);
  auto lines = read_lines(file());
  lines.erase(lines.begin() + 4);
  write_lines(file(), lines);
  expect_error_at(verify_audit(file()), "audit-2026-11.jsonl:5", "seq 6 where 5 was expected");
}

TEST_F(tamper_test, a_directory_without_segments_is_an_error) {
  fs::remove(file());
  EXPECT_FALSE(verify_audit(dir.path()).ok);
}

}  // namespace
}  // namespace varco::saml::audit::test
