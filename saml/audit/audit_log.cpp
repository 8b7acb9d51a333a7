#include "saml/audit/audit_log.hpp"

#include "saml/audit/record_codec.hpp"
#include "saml/audit/segment_reader.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace varco::saml::audit {
namespace {

namespace fs = std::filesystem;

constexpr int format_version = 1;

bool valid_kind(std::string_view kind) {
  if (kind.empty() || kind.size() > 32) return false;
  for (const char c : kind)
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  return kind != "segment" && kind != "recovery" && kind != "prune";
}

bool has_reserved_field(const boost::json::object& fields) {
  for (const std::string_view key : {"seq", "time", "prev", "kind", "hash"})
    if (fields.contains(key)) return true;
  return false;
}

boost::system::error_code errno_code(int error) {
  return {error, boost::system::system_category()};
}

// One write() in the normal case; continues after a short write (only a full disk or a file size
// limit makes one) and reports errno when it cannot finish.
int write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

std::string describe(const damage& d) {
  return d.file + ": " + std::to_string(d.torn_bytes) + " bytes after offset " +
         std::to_string(d.offset) + " are not a complete record (a crash or a failed write)";
}

}  // namespace

audit_log::audit_log(fs::path dir, std::chrono::months retention, base::clock_function clock,
                     unique_fd lock, segment_options segments)
    : dir_(std::move(dir)),
      retention_(retention),
      clock_(std::move(clock)),
      lock_(std::move(lock)),
      segment_options_(segments) {
  head_.hash = genesis_hash;
}

audit_log::~audit_log() = default;

std::unique_ptr<audit_log> audit_log::open(fs::path dir, std::chrono::months retention,
                                           std::string& error, base::clock_function clock,
                                           segment_options segments_options) {
  if (retention < std::chrono::months{1}) {
    error = "the audit retention must be at least one month";
    return nullptr;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    error = dir.string() + ": " + ec.message();
    return nullptr;
  }
  unique_fd lock(::open((dir / lock_file_name).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640));
  if (!lock) {
    error = (dir / lock_file_name).string() + ": " + std::strerror(errno);
    return nullptr;
  }
  if (::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
    error = errno == EWOULDBLOCK ? dir.string() + ": the audit log is open in another process"
                                 : dir.string() + ": flock: " + std::strerror(errno);
    return nullptr;
  }
  auto segments = list_segments(dir);
  if (!segments) {
    error = segments.error();
    return nullptr;
  }
  std::unique_ptr<audit_log> log(new audit_log(std::move(dir), retention, std::move(clock),
                                               std::move(lock), segments_options));
  error = log->resume(*segments);
  if (!error.empty()) return nullptr;
  if (!log->damaged_.empty()) {
    // Record the damage now, not at the next login, while it is fresh.
    const std::lock_guard guard(log->mutex_);
    std::string note;
    for (const auto& d : log->damaged_) note += describe(d) + "; ";
    if (const auto failed = log->start_segment(log->clock_())) {
      error = log->dir_.string() + ": cannot start a recovery segment: " + failed.message();
      return nullptr;
    }
    log->startup_note_ = note + "left as they are and recorded in " + log->last_file_;
  }
  // Seals what a crash or a stop left plain, and finishes a sealing a crash interrupted.
  log->sealer_ = std::make_unique<segment_sealer>(log->dir_, log->segment_options_.seal_level);
  if (log->segment_options_.seal) log->sealer_->request();
  return log;
}

// Finds where the chain ends: the last complete record of the newest segment that has one.
// Segments after it whose end is not a complete record are damage the next segment must name.
std::string audit_log::resume(const std::vector<segment_file>& segments) {
  if (segments.empty()) return {};
  last_file_ = segments.back().file_name();
  std::uint64_t newest_size = 0;
  for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
    auto tail = read_tail(it->path);
    if (!tail) return tail.error();
    if (it == segments.rbegin()) newest_size = tail->size;
    // The sealer seals only complete segments: one that is not was altered afterwards.
    if (it->sealed && tail->damaged())
      return it->path.filename().string() +
             ": the sealed segment does not end in a complete record; the log is not extended "
             "past it: run `varco audit verify " +
             dir_.string() + "`";
    if (tail->damaged()) {
      auto d = describe_damage(it->path, *tail);
      if (!d) return d.error();
      damaged_.insert(damaged_.begin(), std::move(*d));
    }
    if (tail->complete_end == 0) continue;
    auto record = parse_record(tail->last_line);
    if (!record)
      return it->file_name() + ": the last complete record is not valid (" + record.error() +
             "); the log is not extended past it: run `varco audit verify " + dir_.string() + "`";
    head_ = {record->header.seq, record->hash, it->file_name()};
    break;
  }
  // A sealed newest segment is not appended to: the next append starts a segment after it.
  if (damaged_.empty() && !segments.back().sealed) {
    file_.reset(::open(segments.back().path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
    if (!file_) return segments.back().path.string() + ": " + std::strerror(errno);
    segment_ = segments.back().name;
    size_ = newest_size;
  }
  return {};
}

boost::system::result<record_ref> audit_log::append(std::string_view kind,
                                                    const boost::json::object& fields) {
  if (!valid_kind(kind)) return audit_errc::invalid_kind;
  if (has_reserved_field(fields)) return audit_errc::reserved_field;
  const std::lock_guard guard(mutex_);
  const audit_time now = clock_();
  if (const auto ec = ensure_segment(now)) return ec;
  auto written = write_record(kind, fields, now);
  if (!written) return written;
  if (const auto ec = sync_written()) return ec;
  return written;
}

std::vector<boost::system::result<record_ref>> audit_log::append_batch(
    std::span<const append_request> batch) {
  std::vector<boost::system::result<record_ref>> results;
  results.reserve(batch.size());
  const std::lock_guard guard(mutex_);
  boost::system::error_code io_error;
  for (const auto& request : batch) {
    if (!valid_kind(request.kind)) {
      results.emplace_back(audit_errc::invalid_kind);
    } else if (has_reserved_field(request.fields)) {
      results.emplace_back(audit_errc::reserved_field);
    } else if (io_error) {
      results.emplace_back(io_error);  // not written: the log is not extended after a failure
    } else {
      const audit_time now = clock_();
      auto written = [&]() -> boost::system::result<record_ref> {
        if (const auto ec = ensure_segment(now)) return ec;
        return write_record(request.kind, request.fields, now);
      }();
      if (!written && written.error() != audit_errc::record_too_large) io_error = written.error();
      results.push_back(std::move(written));
    }
  }
  if (!io_error) io_error = sync_written();
  if (io_error) {
    // Written or not, no record of the batch was confirmed durable.
    for (auto& result : results)
      if (result || result.error() != audit_errc::record_too_large) result = io_error;
  }
  return results;
}

boost::system::error_code audit_log::ensure_segment(audit_time now) {
  const bool new_month = month_index(now) > segment_.month;
  if (damaged_.empty() && file_ && !new_month && size_ < segment_options_.rotate_bytes) return {};
  const bool rotating = damaged_.empty() && file_;
  if (const auto ec = start_segment(now)) return ec;
  // The retention is enforced when a month begins; its failure is not the append's failure.
  if (rotating && new_month) (void)prune_locked(now);
  return {};
}

boost::system::error_code audit_log::start_segment(audit_time now) {
  // What a batch wrote to the segment being left must be durable before the chain moves on.
  if (const auto ec = sync_written()) return ec;
  auto segments = list_segments(dir_);
  if (!segments) return audit_errc::unusable_segment;
  const segment_name name = next_segment_name(*segments, month_index(now));
  const std::string file_name = name.file_name();
  unique_fd fd(
      ::open((dir_ / file_name).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0640));
  if (!fd) return errno_code(errno);
  sync_directory(dir_);

  boost::json::object fields{{"file", file_name}, {"format", format_version}};
  if (last_file_.empty())
    fields["prev_file"] = nullptr;
  else
    fields["prev_file"] = last_file_;
  const bool recovering = !damaged_.empty();
  if (recovering) fields["damaged"] = damage_list_json(damaged_);

  file_ = std::move(fd);
  segment_ = name;
  size_ = 0;
  last_file_ = file_name;
  auto written = write_record(recovering ? "recovery" : "segment", fields, now);
  if (!written) return written.error();  // write_failed() noted the new file as damaged
  if (const auto ec = sync_written()) return ec;
  damaged_.clear();
  // The segment left behind is complete: seal it (sealer_ is null only inside open()).
  if (sealer_ && segment_options_.seal) sealer_->request();
  return {};
}

boost::system::result<record_ref> audit_log::write_record(std::string_view kind,
                                                          const boost::json::object& fields,
                                                          audit_time now) {
  sealed_record sealed = seal_record({head_.seq + 1, now, head_.hash, std::string(kind)}, fields);
  if (sealed.line.size() > max_record_bytes) return audit_errc::record_too_large;
  if (const int error = write_all(file_.get(), sealed.line)) return write_failed(error);
  size_ += sealed.line.size();
  unsynced_ = true;
  head_ = {head_.seq + 1, std::move(sealed.hash), segment_.file_name()};
  return head_;
}

// After a failed fdatasync the lines stay in the file and in the chain (as after a failed
// append); only the caller is told that their durability was not confirmed.
boost::system::error_code audit_log::sync_written() {
  if (!unsynced_ || !file_) return {};
  unsynced_ = false;
  ++data_syncs_;
  if (::fdatasync(file_.get()) != 0) return errno_code(errno);
  return {};
}

// After a failed write the file may end in part of a line. Appending after it would glue the next
// record to the fragment, so the segment is closed and the next append starts a recovery segment
// that names the fragment. A new segment left empty (its first record failed) is named the same
// way.
boost::system::error_code audit_log::write_failed(int error) {
  // Lines of the batch before the failure are chained on: keep them, best effort.
  (void)sync_written();
  struct stat st {};
  const bool known = ::fstat(file_.get(), &st) == 0;
  const auto actual = known ? static_cast<std::uint64_t>(st.st_size) : size_ + 1;
  if (actual == size_ && size_ != 0) return errno_code(error);  // nothing written: retry later
  file_tail tail;
  tail.size = actual;
  tail.complete_end = size_;
  auto d = describe_damage(dir_ / segment_.file_name(), tail);
  damaged_.push_back(d ? std::move(*d)
                       : damage{segment_.file_name(), size_, actual - size_, std::string()});
  file_.reset();
  return actual != size_ ? make_error_code(audit_errc::torn_write) : errno_code(error);
}

boost::system::result<std::vector<std::string>> audit_log::prune(audit_time now) {
  const std::lock_guard guard(mutex_);
  return prune_locked(now);
}

boost::system::result<std::vector<std::string>> audit_log::prune_locked(audit_time now) {
  auto segments = list_segments(dir_);
  if (!segments) return audit_errc::unusable_segment;
  const int now_month = month_index(now);
  std::size_t doomed = 0;
  // Oldest first; never the newest segment (the current one, or the one the next will chain to).
  while (doomed + 1 < segments->size() &&
         (*segments)[doomed].name.month + 1 + retention_.count() <= now_month)
    ++doomed;
  if (doomed == 0) return std::vector<std::string>{};

  const segment_file& anchor = (*segments)[doomed];
  std::string error;
  auto first_line = read_first_line(anchor.path, error);
  if (!first_line) return audit_errc::unusable_segment;
  auto anchor_record = parse_record(*first_line);
  if (!anchor_record) return audit_errc::unusable_segment;

  // `now` decides what is old; the record carries the clock's time like every other record.
  const audit_time stamp = clock_();
  if (!damaged_.empty() || !file_) {
    if (const auto ec = start_segment(stamp)) return ec;
  }
  boost::json::array names;
  for (std::size_t i = 0; i < doomed; ++i) names.emplace_back((*segments)[i].file_name());
  // Written before deleting: a crash in between leaves files the record says are gone, which the
  // verifier accepts (they still chain); the reverse would look like deletion by an intruder.
  const boost::json::object fields{{"deleted", std::move(names)},
                                   {"retention_months", retention_.count()},
                                   {"anchor_file", anchor.file_name()},
                                   {"anchor_prev", anchor_record->header.prev}};
  if (auto written = write_record("prune", fields, stamp); !written) return written.error();
  if (const auto ec = sync_written()) return ec;  // durable before anything is deleted

  // Under the sealer's lock, both forms: a segment being sealed right now is not resurrected.
  const std::lock_guard files(sealer_->files_mutex());
  std::vector<std::string> deleted;
  for (std::size_t i = 0; i < doomed; ++i) {
    const std::string name = (*segments)[i].file_name();
    for (const std::string& file : {name, name + std::string(sealed_suffix)}) {
      std::error_code ec;
      fs::remove(dir_ / file, ec);
      if (ec) {
        sync_directory(dir_);
        return boost::system::error_code(ec);
      }
    }
    deleted.push_back(name);
  }
  sync_directory(dir_);
  return deleted;
}

std::uint64_t audit_log::data_syncs() const {
  const std::lock_guard guard(mutex_);
  return data_syncs_;
}

record_ref audit_log::head() const {
  const std::lock_guard guard(mutex_);
  return head_;
}

}  // namespace varco::saml::audit
