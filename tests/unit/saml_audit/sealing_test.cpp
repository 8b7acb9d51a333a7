// Sealed segments: rotation by size, sealing with zstd, what `verify` catches in a sealed file,
// the records read back as written, and recovery from a sealing a crash interrupted.
#include "audit_fixture.hpp"
#include "saml/audit/segment_sealer.hpp"
#include "saml/audit/zstd_handles.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <zstd.h>

namespace varco::saml::audit::test {
namespace {

constexpr std::string_view first = "audit-2026-11.jsonl";
constexpr std::string_view second = "audit-2026-11.1.jsonl";
constexpr std::string_view third = "audit-2026-11.2.jsonl";

// A file compressed as the sealer does, for tests that plant their own `.zst`.
std::string zstd_compress(std::string_view text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  const std::size_t n = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

class sealing_test : public audit_test {
 protected:
  // Nine logins in segments cut at 2 KiB (three logins each): three segments, the last one open.
  // With seal off the plain files are kept, so a test can compare against them and then open with
  // sealing.
  void write_logins(bool seal) {
    segment_options options;
    options.rotate_bytes = 2048;
    options.seal = seal;
    auto log = open_log(months{24}, options);
    ASSERT_TRUE(log);
    for (int i = 1; i <= 9; ++i) ASSERT_TRUE(append(*log, sample_login(i)));
    head = log->head();
    log->wait_until_sealed();
  }
  void seal_now() {
    auto log = open_log();
    ASSERT_TRUE(log);
    log->wait_until_sealed();
    EXPECT_EQ(log->sealing_error(), "");
  }
  std::vector<std::string> segment_names() const {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir.path()))
      if (entry.path().filename() != "audit.lock") out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  static void expect_error_at(const verify_report& report, const std::string& where,
                              const std::string& what) {
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_error.rfind(where, 0), 0u) << report.first_error;
    EXPECT_NE(report.first_error.find(what), std::string::npos) << report.first_error;
  }
  fs::path sealed(std::string_view name) const { return audit_test::sealed(std::string(name)); }
  fs::path plain(std::string_view name) const { return segment(std::string(name)); }

  record_ref head;
};

TEST_F(sealing_test, a_full_segment_is_left_and_sealed_and_the_open_one_stays_plain) {
  write_logins(true);
  EXPECT_EQ(segment_names(),
            (std::vector<std::string>{"audit-2026-11.1.jsonl.zst", "audit-2026-11.2.jsonl",
                                      "audit-2026-11.jsonl.zst"}));
  const auto report = verify_audit(dir.path());
  EXPECT_TRUE(report.ok) << report.first_error;
  EXPECT_EQ(report.records, 12u);  // three segment headers and nine logins
  EXPECT_EQ(report.files, 3u);
  EXPECT_EQ(report.last.seq, head.seq);
  EXPECT_EQ(report.last.hash, head.hash);
  EXPECT_TRUE(report.warnings.empty());
  // The chain names the segments by their plain names, sealed or not.
  EXPECT_NE(segment_records(std::string(second)).find("\"prev_file\":\"audit-2026-11.jsonl\""),
            std::string::npos);
  // A sealed file verifies on its own too.
  EXPECT_TRUE(verify_audit(sealed(first)).ok);
}

TEST_F(sealing_test, sealing_keeps_every_byte_and_verify_prints_the_records_as_written) {
  write_logins(false);
  std::string written;
  for (const auto name : {first, second, third}) written += read_file(plain(name));
  seal_now();  // open() seals what the last run left plain
  ASSERT_TRUE(fs::exists(sealed(first)));
  ASSERT_TRUE(fs::exists(sealed(second)));
  ASSERT_FALSE(fs::exists(plain(first)));

  std::string printed;
  verify_options options;
  options.on_record = [&](std::string_view line) { (printed += line) += '\n'; };
  const auto report = verify_audit(dir.path(), options);
  EXPECT_TRUE(report.ok) << report.first_error;
  EXPECT_EQ(printed, written);
}

TEST_F(sealing_test, a_changed_byte_in_a_sealed_segment_is_caught) {
  write_logins(true);
  const std::string original = read_file(sealed(first));
  // Every byte after the frame header, in turn at a few places: decoding, the frame checksum
  // or the chain fails, and the report names the segment.
  for (const std::size_t at : {original.size() / 4, original.size() / 2, original.size() - 6}) {
    std::string altered = original;
    altered[at] = static_cast<char>(altered[at] ^ 0x20);
    write_file(sealed(first), altered);
    const auto report = verify_audit(dir.path());
    EXPECT_FALSE(report.ok) << "byte " << at;
    EXPECT_EQ(report.first_error.rfind("audit-2026-11.jsonl:", 0), 0u) << report.first_error;
  }
  write_file(sealed(first), original);
  EXPECT_TRUE(verify_audit(dir.path()).ok);
}

TEST_F(sealing_test, a_sealed_segment_with_an_edited_record_recompressed_is_caught) {
  write_logins(true);
  std::string text = segment_records(std::string(first));
  text[text.find("RSSMRA") + 2] = 'X';
  write_file(sealed(first), zstd_compress(text));
  expect_error_at(verify_audit(dir.path()), "audit-2026-11.jsonl:2: ", "hash mismatch");
}

TEST_F(sealing_test, a_truncated_sealed_segment_is_caught) {
  write_logins(true);
  const std::string original = read_file(sealed(first));
  write_file(sealed(first), original.substr(0, original.size() - 10));
  expect_error_at(verify_audit(dir.path()), "audit-2026-11.jsonl:", "truncated");
  write_file(sealed(first), "");
  expect_error_at(verify_audit(dir.path()), "audit-2026-11.jsonl:", "truncated");
}

TEST_F(sealing_test, a_sealed_segment_cut_at_a_record_and_recompressed_is_caught) {
  write_logins(true);
  auto lines = segment_lines(std::string(second));
  std::string text;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) text += lines[i] + '\n';
  write_file(sealed(second), zstd_compress(text));
  expect_error_at(verify_audit(dir.path()),
                  "audit-2026-11.2.jsonl:1: ", "a record is missing, added or out of order");
}

TEST_F(sealing_test, a_deleted_sealed_segment_is_caught) {
  write_logins(true);
  ASSERT_TRUE(fs::remove(sealed(second)));
  expect_error_at(verify_audit(dir.path()), "audit-2026-11.2.jsonl:1: ", "a segment is missing");
}

TEST_F(sealing_test, swapped_sealed_segments_are_caught) {
  write_logins(true);
  fs::rename(sealed(first), dir.path() / "swap");
  fs::rename(sealed(second), sealed(first));
  fs::rename(dir.path() / "swap", sealed(second));
  expect_error_at(verify_audit(dir.path()), "audit-2026-11.jsonl:1: ", "names another file");
}

TEST_F(sealing_test, a_sealed_segment_ending_in_half_a_record_is_caught) {
  write_logins(true);
  std::string text = segment_records(std::string(first));
  text.pop_back();  // the last '\n'
  write_file(sealed(first), zstd_compress(text));
  expect_error_at(verify_audit(dir.path()), "audit-2026-11.jsonl:", "ends in an incomplete record");
}

TEST_F(sealing_test, a_decompression_bomb_is_refused_with_a_clear_error) {
  // A little over 1 GiB of lines compresses to a few hundred KiB: a reader that trusted the file
  // would go on for a long time. It stops at the cap instead.
  zstd_ptr<ZSTD_CCtx> encoder(ZSTD_createCCtx());
  ASSERT_TRUE(encoder);
  std::string block;
  while (block.size() < (std::size_t{1} << 20)) block += std::string(1023, 'x') + '\n';
  std::string bomb;
  std::string out(ZSTD_CStreamOutSize(), '\0');
  const std::size_t blocks = (max_sealed_plain_bytes >> 20) + 4;
  for (std::size_t i = 0; i <= blocks; ++i) {
    const bool last = i == blocks;
    ZSTD_inBuffer in{block.data(), last ? 0 : block.size(), 0};
    std::size_t remaining = 0;
    do {
      ZSTD_outBuffer produced{out.data(), out.size(), 0};
      remaining =
          ZSTD_compressStream2(encoder.get(), &produced, &in, last ? ZSTD_e_end : ZSTD_e_continue);
      ASSERT_FALSE(ZSTD_isError(remaining));
      bomb.append(out.data(), produced.pos);
    } while (last ? remaining != 0 : in.pos < in.size);
  }
  ASSERT_LT(bomb.size(), std::size_t{1} << 20);
  write_file(sealed(first), bomb);

  auto reader = segment_reader::open(sealed(first));
  ASSERT_TRUE(reader);
  std::string buffer(1 << 20, '\0');
  std::string error;
  for (;;) {
    auto n = reader->read(buffer.data(), buffer.size());
    if (!n) {
      error = n.error();
      break;
    }
    ASSERT_NE(*n, 0u) << "read to the end";
  }
  EXPECT_LE(reader->position(), max_sealed_plain_bytes);
  EXPECT_NE(error.find("audit-2026-11.jsonl.zst: decompresses to more than 1024 MiB"),
            std::string::npos)
      << error;
  // The log reads the tail of a newest sealed segment; it refuses to open on this one.
  std::string open_error;
  EXPECT_FALSE(audit_log::open(dir.path(), months{24}, open_error, clock.function()));
  EXPECT_NE(open_error.find("more than 1024 MiB"), std::string::npos) << open_error;
}

TEST_F(sealing_test, a_crash_after_the_rename_keeps_the_sealed_file_that_matches) {
  write_logins(false);
  const std::string original = read_file(plain(first));
  write_file(sealed(first), zstd_compress(original));  // renamed in; the plain not yet removed
  const auto during = verify_audit(dir.path());
  EXPECT_TRUE(during.ok) << during.first_error;
  ASSERT_FALSE(during.warnings.empty());
  EXPECT_NE(during.warnings[0].find("both plain and sealed"), std::string::npos);
  const std::string planted = read_file(sealed(first));

  seal_now();
  EXPECT_FALSE(fs::exists(plain(first)));
  EXPECT_EQ(read_file(sealed(first)), planted);  // kept as it was, not redone
  EXPECT_EQ(segment_records(std::string(first)), original);
  EXPECT_TRUE(verify_audit(dir.path()).ok);
}

TEST_F(sealing_test, a_sealed_file_that_does_not_match_the_plain_one_is_redone) {
  write_logins(false);
  const std::string original = read_file(plain(first));
  write_file(sealed(first), zstd_compress(original.substr(0, original.size() / 2)));
  write_file(sealed(second), "not zstd at all");
  write_file(dir.path() / "audit-2026-11.jsonl.zst.tmp", "left by a crash");

  seal_now();
  EXPECT_EQ(segment_names(),
            (std::vector<std::string>{"audit-2026-11.1.jsonl.zst", "audit-2026-11.2.jsonl",
                                      "audit-2026-11.jsonl.zst"}));
  EXPECT_EQ(segment_records(std::string(first)), original);
  const auto report = verify_audit(dir.path());
  EXPECT_TRUE(report.ok) << report.first_error;
  EXPECT_TRUE(report.warnings.empty());
}

TEST_F(sealing_test, a_torn_segment_stays_plain_as_evidence) {
  write_logins(false);
  const std::string torn = read_file(plain(first)) + "{\"seq\":99";
  write_file(plain(first), torn);
  std::mutex files;
  const std::atomic<bool> stop{false};
  const auto result = seal_segment(plain(first), 9, stop, files);
  EXPECT_EQ(result.outcome, seal_outcome::left_plain);
  EXPECT_EQ(read_file(plain(first)), torn);
  EXPECT_FALSE(fs::exists(sealed(first)));
}

TEST_F(sealing_test, a_stop_request_leaves_no_temporary_file_and_the_plain_one_intact) {
  write_logins(false);
  const std::string original = read_file(plain(first));
  std::mutex files;
  const std::atomic<bool> stop{true};
  const auto result = seal_segment(plain(first), 9, stop, files);
  EXPECT_EQ(result.outcome, seal_outcome::stopped);
  EXPECT_EQ(read_file(plain(first)), original);
  EXPECT_EQ(segment_names(), (std::vector<std::string>{std::string(second), std::string(third),
                                                       std::string(first)}));
}

TEST_F(sealing_test, the_log_resumes_after_a_sealed_newest_segment) {
  write_logins(true);
  // An operator compressed the open segment by hand: it is not appended to; a new one follows.
  write_file(sealed(third), zstd_compress(read_file(plain(third))));
  ASSERT_TRUE(fs::remove(plain(third)));
  auto log = open_log();
  ASSERT_TRUE(log);
  EXPECT_EQ(log->head().seq, head.seq);
  const auto next = append(*log, sample_login(10));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->file, "audit-2026-11.3.jsonl");
  const auto report = verify_audit(dir.path());
  EXPECT_TRUE(report.ok) << report.first_error;
}

}  // namespace
}  // namespace varco::saml::audit::test
