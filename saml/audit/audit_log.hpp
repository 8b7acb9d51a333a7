// The tamper-evident, append-only audit log of SAML exchanges (RULES.md §5), see docs/audit.md.
//
// Records are JSON lines chained by SHA-256 (record_codec.hpp) in segment files, one per month or
// per segment_options::rotate_bytes (segment_files.hpp). A segment the log has left is sealed —
// compressed with zstd — by a thread of its own (segment_sealer.hpp). Each record is one write() of
// the whole line to an O_APPEND descriptor; an append, or a batch of them (append_batch, group
// commit), ends with one fdatasync(), so a record the caller was told is written survives a crash.
//
// Thread-safety: every member may be called from any thread. One mutex serialises appends, so
// the order of lines in the file is the order of the chain; the writes and the fdatasync happen
// under it and block the calling thread for one disk flush. The gateway therefore never calls it
// from an I/O thread: audit_writer (audit_writer.hpp) owns the log and calls append_batch from a
// thread of its own. One process per directory: open() takes an exclusive flock on `audit.lock`
// and fails if another holder exists.
//
// Errors: append() and prune() never throw (allocation failure aside); they return an error the
// caller can act on (a login should fail closed when its record could not be written).
#pragma once

#include "saml/audit/audit_time.hpp"
#include "saml/audit/errors.hpp"
#include "saml/audit/segment_files.hpp"
#include "saml/audit/segment_sealer.hpp"
#include "saml/audit/unique_fd.hpp"

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace varco::saml::audit {

struct record_ref {
  std::uint64_t seq = 0;  // 0: no record yet
  std::string hash;
  std::string file;  // segment file name
};

// How segments are cut and sealed (docs/audit.md "Sealed segments").
struct segment_options {
  // The next append after a segment reaches this size starts a new segment (as a new month
  // does), so a sealed segment holds thousands of logins and the plain open one stays small.
  std::uint64_t rotate_bytes = std::uint64_t{64} << 20;
  // zstd level of sealed segments. Measured on SPID logins (bench/RESULTS.md "Audit log size"):
  // levels 3, 9 and 19 give the same size within 0.3%; 19 takes 25 times as long as 9.
  int seal_level = 9;
  // false: segments stay plain (tests that need the plain files; a later open seals them).
  bool seal = true;
};

// One record to append: kind and fields as append() takes them.
struct append_request {
  std::string kind;
  boost::json::object fields;
};

class audit_log {
 public:
  // Creates `dir` if needed and resumes the chain from the tail of the newest segment. A newest
  // segment that ends in a torn line (a crash mid-write) is left untouched and a new segment is
  // started whose first record, kind "recovery", names the damaged file, offset and bytes; the
  // result of that is in startup_note(). Fails (nullptr, `error` set) when the directory cannot
  // be used, another process holds it, or the last complete record does not verify (the log is
  // never extended past a record it cannot vouch for: run `varco audit verify`).
  // `retention` ≥ 1 month; `clock` is called under the mutex.
  // Segments other than the newest that are still plain are sealed in the background.
  static std::unique_ptr<audit_log> open(std::filesystem::path dir, std::chrono::months retention,
                                         std::string& error,
                                         base::clock_function clock = base::system_now,
                                         segment_options segments = {});

  audit_log(const audit_log&) = delete;
  audit_log& operator=(const audit_log&) = delete;
  ~audit_log();

  // Appends one record of `kind` ([a-z_]+, not segment/recovery/prune) with `fields` (no member
  // named seq, time, prev, kind or hash). Starts the segment of a new month first (and then prunes
  // by the retention; a pruning failure does not fail the append). On an I/O error the result holds
  // the errno code; if the write stopped half-way (audit_errc::torn_write) the next append starts
  // a recovery segment. If only the fdatasync failed, the line is in the file and chained, but the
  // result is still an error: durability was not confirmed.
  boost::system::result<record_ref> append(std::string_view kind,
                                           const boost::json::object& fields);

  // Group commit: appends every request in order (each one write(), as append() does) and makes
  // them durable with ONE fdatasync at the end (plus one for a segment file left at a month
  // boundary). Returns one result per request, in order. A request refused for itself
  // (invalid_kind, reserved_field, record_too_large) fails alone. An I/O error fails every other
  // request of the batch, those already written included (their durability was not confirmed);
  // the ones after it are not written, and the next append behaves as after a failed append().
  std::vector<boost::system::result<record_ref>> append_batch(
      std::span<const append_request> batch);

  // Deletes whole segments whose month ended at least `retention` before `now`, never the
  // current one. First appends a "prune" record naming the files and the new oldest file with its
  // anchor hash, so the verifier can tell pruning from deletion. Returns the names deleted.
  boost::system::result<std::vector<std::string>> prune(audit_time now);

  record_ref head() const;                   // the last record written or resumed from
  const std::string& startup_note() const {  // what open() repaired; empty when nothing
    return startup_note_;
  }
  const std::filesystem::path& directory() const { return dir_; }
  // How many fdatasync calls made records durable (tests check that batches share them).
  std::uint64_t data_syncs() const;
  // Blocks until every segment left so far has been sealed or given up on (tests, tools).
  void wait_until_sealed() { sealer_->wait_until_idle(); }
  // The last sealing failure (the segment then stays plain and is tried again); empty when none.
  std::string sealing_error() const { return sealer_->last_error(); }

 private:
  audit_log(std::filesystem::path dir, std::chrono::months retention, base::clock_function clock,
            unique_fd lock, segment_options segments);

  std::string resume(const std::vector<segment_file>& segments);
  boost::system::error_code ensure_segment(audit_time now);
  boost::system::error_code start_segment(audit_time now);
  boost::system::result<record_ref> write_record(std::string_view kind,
                                                 const boost::json::object& fields, audit_time now);
  boost::system::error_code sync_written();
  boost::system::error_code write_failed(int error);
  boost::system::result<std::vector<std::string>> prune_locked(audit_time now);

  const std::filesystem::path dir_;
  const std::chrono::months retention_;
  const base::clock_function clock_;
  const unique_fd lock_;  // flock held for the lifetime of the object
  const segment_options segment_options_;
  // After lock_: stopped before the flock is released. Created once open() has resumed.
  std::unique_ptr<segment_sealer> sealer_;
  std::string startup_note_;

  mutable std::mutex mutex_;
  // Guarded by mutex_:
  unique_fd file_;  // the current segment, O_APPEND; empty until a segment is open
  segment_name segment_{};
  std::uint64_t size_ = 0;  // bytes in the current segment, to detect a torn write
  bool unsynced_ = false;   // lines written to file_ since its last fdatasync
  std::uint64_t data_syncs_ = 0;
  record_ref head_;              // the last record of the chain (seq 0: none yet)
  std::string last_file_;        // newest segment file name, "" before the first
  std::vector<damage> damaged_;  // to be named by the next segment's recovery record
};

}  // namespace varco::saml::audit
