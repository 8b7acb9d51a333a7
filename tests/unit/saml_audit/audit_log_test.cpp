#include "audit_fixture.hpp"
#include "base/sha256.hpp"
#include "saml/audit/record_codec.hpp"

#include <boost/json/parse.hpp>

#include <csignal>
#include <set>
#include <sys/resource.h>
#include <thread>

namespace varco::saml::audit::test {
namespace {

boost::json::object first_record(const fs::path& file) {
  return boost::json::parse(read_lines(file).at(0)).as_object();
}

TEST_F(audit_test, appended_records_verify) {
  auto log = open_log();
  ASSERT_TRUE(log);
  for (int i = 1; i <= 3; ++i) {
    const auto written = append(*log, sample_login(i));
    ASSERT_TRUE(written) << written.error().message();
    EXPECT_EQ(written->seq, std::uint64_t(i + 1));  // seq 1 is the segment header
    EXPECT_EQ(written->file, "audit-2026-11.jsonl");
  }
  const auto lines = read_lines(segment("audit-2026-11.jsonl"));
  ASSERT_EQ(lines.size(), 4u);
  const auto header = first_record(segment("audit-2026-11.jsonl"));
  EXPECT_EQ(header.at("kind").as_string(), "segment");
  EXPECT_EQ(header.at("prev").as_string(), genesis_hash);
  EXPECT_TRUE(header.at("prev_file").is_null());
  const auto login = boost::json::parse(lines[2]).as_object();
  EXPECT_EQ(login.at("kind").as_string(), "authn");
  EXPECT_EQ(login.at("request_id").as_string(), "_req2");
  EXPECT_EQ(login.at("fiscal_number").as_string(), "TINIT-RSSMRA80A01H501U");

  const auto report = verify_audit(dir.path());
  EXPECT_TRUE(report.ok) << report.first_error;
  EXPECT_EQ(report.records, 4u);
  EXPECT_TRUE(report.warnings.empty());
  EXPECT_EQ(report.last.seq, 4u);
  EXPECT_EQ(report.last.hash, log->head().hash);
}

TEST_F(audit_test, logout_records_have_their_own_kinds) {
  auto log = open_log();
  ASSERT_TRUE(log);
  logout_entry sp;
  sp.request_id = "_lo1";
  logout_entry idp;
  idp.direction = logout_direction::idp_initiated;
  ASSERT_TRUE(append(*log, sp));
  ASSERT_TRUE(append(*log, idp));
  const auto lines = read_lines(segment("audit-2026-11.jsonl"));
  EXPECT_EQ(boost::json::parse(lines.at(1)).at("kind").as_string(), "logout_sp");
  EXPECT_EQ(boost::json::parse(lines.at(2)).at("kind").as_string(), "logout_idp");
}

TEST_F(audit_test, reopening_continues_the_chain_in_the_same_file) {
  std::string hash;
  {
    auto log = open_log();
    ASSERT_TRUE(log);
    ASSERT_TRUE(append(*log, sample_login(1)));
    hash = log->head().hash;
  }
  auto log = open_log();
  ASSERT_TRUE(log);
  EXPECT_TRUE(log->startup_note().empty());
  EXPECT_EQ(log->head().seq, 2u);
  EXPECT_EQ(log->head().hash, hash);
  const auto written = append(*log, sample_login(2));
  ASSERT_TRUE(written);
  EXPECT_EQ(written->seq, 3u);
  EXPECT_FALSE(fs::exists(segment("audit-2026-11.1.jsonl")));
  EXPECT_EQ(read_lines(segment("audit-2026-11.jsonl")).size(), 3u);
  const auto third = boost::json::parse(read_lines(segment("audit-2026-11.jsonl")).at(2));
  EXPECT_EQ(third.at("prev").as_string(), hash);
  const auto report = verify_audit(dir.path());
  EXPECT_TRUE(report.ok) << report.first_error;
  EXPECT_EQ(report.records, 3u);
}

TEST_F(audit_test, reserved_names_and_kinds_are_refused_without_writing) {
  auto log = open_log();
  ASSERT_TRUE(log);
  EXPECT_EQ(log->append("authn", {{"hash", "x"}}).error(), audit_errc::reserved_field);
  EXPECT_EQ(log->append("authn", {{"seq", 1}}).error(), audit_errc::reserved_field);
  EXPECT_EQ(log->append("segment", {}).error(), audit_errc::invalid_kind);
  EXPECT_EQ(log->append("prune", {}).error(), audit_errc::invalid_kind);
  EXPECT_EQ(log->append("Authn", {}).error(), audit_errc::invalid_kind);
  EXPECT_EQ(log->append("", {}).error(), audit_errc::invalid_kind);
  EXPECT_EQ(log->append("authn", {{"xml", std::string(max_record_bytes, 'a')}}).error(),
            audit_errc::record_too_large);
  EXPECT_EQ(log->head().seq, 1u);  // only the header of the segment the last attempt opened
}

TEST_F(audit_test, a_second_open_of_the_same_directory_is_refused) {
  auto log = open_log();
  ASSERT_TRUE(log);
  std::string error;
  EXPECT_FALSE(audit_log::open(dir.path(), months{24}, error, clock.function()));
  EXPECT_NE(error.find("another process"), std::string::npos) << error;
}

TEST_F(audit_test, four_threads_appending_keep_one_valid_chain) {
  auto log = open_log();
  ASSERT_TRUE(log);
  constexpr int threads = 4;
  constexpr int per_thread = 50;
  std::vector<std::vector<std::uint64_t>> seqs(threads);
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        const auto written = append(*log, sample_login(t * 1000 + i));
        if (written) seqs[t].push_back(written->seq);
      }
    });
  for (auto& w : workers) w.join();
  std::set<std::uint64_t> all;
  for (const auto& s : seqs) {
    EXPECT_EQ(s.size(), std::size_t(per_thread));
    all.insert(s.begin(), s.end());
  }
  EXPECT_EQ(all.size(), std::size_t(threads * per_thread));  // no seq handed out twice
  const auto report = verify_audit(dir.path());
  EXPECT_TRUE(report.ok) << report.first_error;
  EXPECT_EQ(report.records, std::size_t(threads * per_thread + 1));
  EXPECT_EQ(log->head().seq, std::uint64_t(threads * per_thread + 1));
}

TEST_F(audit_test, a_torn_last_line_is_kept_and_recorded_by_a_recovery_segment) {
  {
    auto log = open_log();
    ASSERT_TRUE(log);
    for (int i = 1; i <= 3; ++i) ASSERT_TRUE(append(*log, sample_login(i)));
  }
  // A crash in the middle of writing the fifth record.
  const auto damaged = segment("audit-2026-11.jsonl");
  const std::string complete = read_file(damaged);
  const std::string fragment = "{\"seq\":5,\"time\":\"2026-11-28T12:";
  write_file(damaged, complete + fragment);

  const auto before = verify_audit(dir.path());
  EXPECT_TRUE(before.ok) << before.first_error;  // the complete records are intact
  EXPECT_EQ(before.records, 4u);
  ASSERT_EQ(before.warnings.size(), 1u);
  EXPECT_NE(before.warnings[0].find("audit-2026-11.jsonl: " + std::to_string(fragment.size()) +
                                    " bytes after offset " + std::to_string(complete.size())),
            std::string::npos)
      << before.warnings[0];
  EXPECT_NE(before.warnings[0].find("not recorded yet"), std::string::npos);

  auto log = open_log();
  ASSERT_TRUE(log);
  EXPECT_NE(log->startup_note().find("audit-2026-11.jsonl"), std::string::npos);
  EXPECT_EQ(read_file(damaged), complete + fragment);  // evidence untouched
  const auto recovery = first_record(segment("audit-2026-11.1.jsonl"));
  EXPECT_EQ(recovery.at("kind").as_string(), "recovery");
  EXPECT_EQ(recovery.at("seq").as_int64(), 5);
  EXPECT_EQ(recovery.at("prev_file").as_string(), "audit-2026-11.jsonl");
  const auto& d = recovery.at("damaged").as_array().at(0).as_object();
  EXPECT_EQ(d.at("file").as_string(), "audit-2026-11.jsonl");
  EXPECT_EQ(d.at("offset").as_int64(), std::int64_t(complete.size()));
  EXPECT_EQ(d.at("torn_bytes").as_int64(), std::int64_t(fragment.size()));
  EXPECT_EQ(d.at("torn_sha256").as_string(), base::sha256_hex(fragment));
  const auto written = append(*log, sample_login(4));
  ASSERT_TRUE(written);
  EXPECT_EQ(written->file, "audit-2026-11.1.jsonl");

  const auto after = verify_audit(dir.path());
  EXPECT_TRUE(after.ok) << after.first_error;
  EXPECT_EQ(after.records, 6u);
  ASSERT_EQ(after.warnings.size(), 1u);
  EXPECT_NE(after.warnings[0].find("recorded by audit-2026-11.1.jsonl:1"), std::string::npos)
      << after.warnings[0];
}

TEST_F(audit_test, a_recovery_record_that_does_not_match_the_damage_fails) {
  {
    auto log = open_log();
    ASSERT_TRUE(log);
    ASSERT_TRUE(append(*log, sample_login(1)));
  }
  const auto damaged = segment("audit-2026-11.jsonl");
  write_file(damaged, read_file(damaged) + "{\"seq\":3");
  { ASSERT_TRUE(open_log()); }
  // The torn bytes are changed afterwards: the fingerprint in the recovery record no longer fits.
  write_file(damaged, read_file(damaged) + "x");
  const auto report = verify_audit(dir.path());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_error.rfind("audit-2026-11.1.jsonl:1:", 0), 0u) << report.first_error;
}

TEST_F(audit_test, a_damaged_last_record_stops_the_log_from_opening) {
  {
    auto log = open_log();
    ASSERT_TRUE(log);
    ASSERT_TRUE(append(*log, sample_login(1)));
  }
  auto lines = read_lines(segment("audit-2026-11.jsonl"));
  lines.back()[lines.back().find("_req1") + 1] = 'X';
  write_lines(segment("audit-2026-11.jsonl"), lines);
  std::string error;
  EXPECT_FALSE(audit_log::open(dir.path(), months{24}, error, clock.function()));
  EXPECT_NE(error.find("audit-2026-11.jsonl: the last complete record is not valid"),
            std::string::npos)
      << error;
}

// RLIMIT_FSIZE makes the kernel stop a write part-way (EFBIG), as a full disk would.
TEST_F(audit_test, a_write_cut_short_fails_the_append_and_the_next_one_recovers) {
  auto log = open_log();
  ASSERT_TRUE(log);
  ASSERT_TRUE(append(*log, sample_login(1)));
  const auto file = segment("audit-2026-11.jsonl");
  const auto size = fs::file_size(file);

  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit old_limit{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  rlimit low = old_limit;
  low.rlim_cur = size + 100;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &low), 0);
  const auto cut = append(*log, sample_login(2));
  setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);

  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error(), audit_errc::torn_write);
  EXPECT_EQ(fs::file_size(file), size + 100);
  EXPECT_EQ(log->head().seq, 2u);  // the chain did not advance

  const auto next = append(*log, sample_login(3));
  ASSERT_TRUE(next) << next.error().message();
  EXPECT_EQ(next->file, "audit-2026-11.1.jsonl");
  EXPECT_EQ(next->seq, 4u);  // 3 is the recovery record
  const auto report = verify_audit(dir.path());
  EXPECT_TRUE(report.ok) << report.first_error;
  EXPECT_EQ(report.records, 4u);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("100 bytes after offset " + std::to_string(size)),
            std::string::npos)
      << report.warnings[0];
}

// Not a benchmark with a threshold (machines differ): it reports the cost of an append, with its
// fdatasync, for a record of typical size, and checks the chain it produced.
TEST_F(audit_test, append_cost_is_reported) {
  auto log = open_log();
  ASSERT_TRUE(log);
  authn_entry entry = sample_login(1);
  entry.request_xml = std::string(2 * 1024, 'q');   // an AuthnRequest is ~2 KiB
  entry.response_xml = std::string(8 * 1024, 'r');  // a signed Response ~6–10 KiB
  constexpr int count = 200;
  std::vector<double> micros;
  for (int i = 0; i < count; ++i) {
    const auto start = steady_clock::now();
    ASSERT_TRUE(append(*log, entry));
    micros.push_back(duration<double, std::micro>(steady_clock::now() - start).count());
  }
  std::sort(micros.begin(), micros.end());
  double sum = 0;
  for (const double m : micros) sum += m;
  std::cout << "[ append cost ] " << count << " records of "
            << fs::file_size(segment("audit-2026-11.jsonl")) / (count + 1) << " bytes: mean "
            << sum / count << " us, median " << micros[count / 2] << " us, p99 "
            << micros[count * 99 / 100] << " us (write + fdatasync, "
            << fs::temp_directory_path().string() << ")\n";
  const auto start = steady_clock::now();
  const auto report = verify_audit(dir.path());
  std::cout << "[ verify cost ] " << report.records << " records in "
            << duration<double, std::milli>(steady_clock::now() - start).count() << " ms\n";
  EXPECT_TRUE(report.ok) << report.first_error;
  EXPECT_EQ(report.records, std::size_t(count + 1));
}

}  // namespace
}  // namespace varco::saml::audit::test
