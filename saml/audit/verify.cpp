#include "saml/audit/verify.hpp"

#include "saml/audit/record_codec.hpp"
#include "saml/audit/segment_files.hpp"
#include "saml/audit/segment_reader.hpp"

#include <boost/json/value.hpp>

#include <algorithm>
#include <ranges>

namespace varco::saml::audit {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t format_version = 1;

// The lines of the first `end` bytes of a segment's records, in order, each at most
// max_record_bytes. A plain segment is read up to its last '\n' (the gateway may be appending); a
// sealed one to its end, where a line without '\n' is an error.
class line_reader {
 public:
  enum class status { line, done, too_long, read_error, incomplete_end };

  line_reader(segment_reader& reader, std::uint64_t end) : reader_(reader), end_(end) {}

  status next(std::string& line) {
    for (;;) {
      const auto newline = buffer_.find('\n', scanned_);
      if (newline != std::string::npos) {
        line.assign(buffer_, 0, newline);
        buffer_.erase(0, newline + 1);
        scanned_ = 0;
        return status::line;
      }
      scanned_ = buffer_.size();
      if (buffer_.size() > max_record_bytes) return status::too_long;
      const std::uint64_t read = reader_.position();
      if (read >= end_) return buffer_.empty() ? status::done : status::incomplete_end;
      const std::size_t want =
          static_cast<std::size_t>(std::min<std::uint64_t>(chunk, end_ - read));
      const std::size_t old = buffer_.size();
      buffer_.resize(old + want);
      auto n = reader_.read(buffer_.data() + old, want);
      if (!n) {
        error = n.error();
        return status::read_error;
      }
      buffer_.resize(old + *n);
      if (*n == 0) {
        if (reader_.sealed()) return buffer_.empty() ? status::done : status::incomplete_end;
        error = "the file is shorter than when its end was read";
        return status::read_error;
      }
    }
  }

  std::string error;  // after read_error

 private:
  static constexpr std::size_t chunk = 64 * 1024;
  segment_reader& reader_;
  std::uint64_t end_;
  std::string buffer_;
  std::size_t scanned_ = 0;  // bytes of buffer_ known to hold no '\n'
};

// The name the chain knows a segment file by: a sealed one by the plain name it replaced.
std::string chain_name(const fs::path& path) {
  std::string name = path.filename().string();
  if (is_sealed_path(path)) name.resize(name.size() - sealed_suffix.size());
  return name;
}

std::string describe(const damage& d) {
  return d.file + ": " + std::to_string(d.torn_bytes) + " bytes after offset " +
         std::to_string(d.offset) + " are not a complete record (a crash or a failed write)";
}

class verifier {
 public:
  verifier(bool directory_mode, const verify_options& options)
      : directory_mode_(directory_mode), options_(options) {}

  bool check_file(fs::path path, const std::string* previous_name);
  bool finish(const std::vector<std::string>& names);  // names: the files checked, in order
  verify_report report;

 private:
  bool check_record(const std::string& file, std::size_t line_number, const parsed_record& r,
                    const std::string* previous_name);
  bool check_header(const std::string& file, std::size_t line_number, const parsed_record& r,
                    const std::string* previous_name);
  bool fail(const std::string& file, std::size_t line_number, const std::string& what) {
    report.first_error = file + ":" + std::to_string(line_number) + ": " + what;
    return false;
  }

  const bool directory_mode_;
  const verify_options& options_;
  bool started_ = false;
  std::uint64_t next_seq_ = 0;
  std::string last_hash_;
  std::vector<damage> unacknowledged_;
  bool expect_found_ = false;
  // The first segment's header: its predecessor may be pruned, and its prev is the trusted anchor.
  boost::json::value first_prev_file_;
  std::string first_prev_;
  struct prune_seen {
    std::string file;
    std::size_t line_number = 0;
    std::string anchor_file;
    std::string anchor_prev;
  };
  std::optional<prune_seen> last_prune_;
};

bool verifier::check_file(fs::path path, const std::string* previous_name) {
  const std::string name = chain_name(path);
  ++report.files;
  // The gateway may seal a plain segment while it is being verified: the sealed file then has
  // the same records.
  fs::path sealed = path;
  sealed += std::string(sealed_suffix);
  std::error_code ec;
  std::optional<file_tail> tail;
  if (!is_sealed_path(path)) {
    auto plain_tail = read_tail(path);
    if (!plain_tail && !fs::exists(path, ec) && fs::exists(sealed, ec)) {
      path = sealed;
    } else if (!plain_tail) {
      return fail(name, 0, plain_tail.error());
    } else {
      tail = std::move(*plain_tail);
    }
  }
  auto reader = segment_reader::open(path);
  if (!reader && tail && !fs::exists(path, ec) && fs::exists(sealed, ec)) {
    path = sealed;
    tail.reset();
    reader = segment_reader::open(path);
  }
  if (!reader) return fail(name, 0, reader.error());
  line_reader lines(*reader, tail ? tail->complete_end : max_sealed_plain_bytes + 1);
  std::string line;
  std::size_t line_number = 0;
  for (;;) {
    const auto status = lines.next(line);
    if (status == line_reader::status::done) break;
    if (status == line_reader::status::too_long)
      return fail(name, line_number + 1, "line longer than any record the log writes");
    if (status == line_reader::status::read_error) return fail(name, line_number + 1, lines.error);
    if (status == line_reader::status::incomplete_end)
      return fail(name, line_number + 1,
                  "the sealed segment ends in an incomplete record (a sealed segment is always "
                  "complete: it was altered)");
    ++line_number;
    auto record = parse_record(line);
    if (!record) return fail(name, line_number, record.error());
    if (!check_record(name, line_number, *record, previous_name)) return false;
    if (options_.on_record) options_.on_record(line);
  }
  if (tail && tail->damaged()) {
    auto d = describe_damage(path, *tail);
    if (!d) return fail(name, line_number, d.error());
    unacknowledged_.push_back(std::move(*d));
  }
  return true;
}

bool verifier::check_record(const std::string& file, std::size_t line_number,
                            const parsed_record& r, const std::string* previous_name) {
  const record_header& h = r.header;
  // A segment's header first: "a segment is missing" says more than the broken link it causes.
  if (line_number == 1) {
    if (!check_header(file, line_number, r, previous_name)) return false;
  } else if (h.kind == "segment" || h.kind == "recovery") {
    return fail(file, line_number, "a segment header in the middle of a file");
  }
  if (started_) {
    if (h.seq != next_seq_)
      return fail(file, line_number,
                  "seq " + std::to_string(h.seq) + " where " + std::to_string(next_seq_) +
                      " was expected (a record is missing, added or out of order)");
    if (h.prev != last_hash_)
      return fail(file, line_number,
                  "prev is not the hash of the record before (a record was removed, replaced or "
                  "moved)");
  }
  if (h.kind == "prune") {
    const auto* anchor_file = r.fields.if_contains("anchor_file");
    const auto* anchor_prev = r.fields.if_contains("anchor_prev");
    if (!anchor_file || !anchor_file->is_string() || !anchor_prev || !anchor_prev->is_string())
      return fail(file, line_number, "a prune record without anchor_file and anchor_prev");
    last_prune_ = prune_seen{file, line_number, std::string(anchor_file->get_string()),
                             std::string(anchor_prev->get_string())};
  }
  if (options_.expect && options_.expect->seq == h.seq) {
    if (options_.expect->hash != r.hash)
      return fail(file, line_number,
                  "record " + std::to_string(h.seq) +
                      " does not have the hash exported earlier (the chain was rewritten)");
    expect_found_ = true;
  }
  started_ = true;
  next_seq_ = h.seq + 1;
  last_hash_ = r.hash;
  ++report.records;
  report.last = {h.seq, r.hash, file};
  return true;
}

bool verifier::check_header(const std::string& file, std::size_t line_number,
                            const parsed_record& r, const std::string* previous_name) {
  const std::string& kind = r.header.kind;
  if (kind != "segment" && kind != "recovery")
    return fail(file, line_number, "a segment must start with a segment or recovery record");
  const auto* format = r.fields.if_contains("format");
  if (!format || !format->is_int64() || format->get_int64() != format_version)
    return fail(file, line_number, "unknown record format");
  const auto* prev_file = r.fields.if_contains("prev_file");
  if (!prev_file || !(prev_file->is_null() || prev_file->is_string()))
    return fail(file, line_number, "a segment header without prev_file");
  if (!directory_mode_) return true;  // a lone file may have been copied under another name

  const auto* own = r.fields.if_contains("file");
  if (!own || !own->is_string() || own->get_string() != file)
    return fail(file, line_number, "the segment header names another file (renamed or copied in)");
  if (!previous_name) {
    first_prev_file_ = *prev_file;
    first_prev_ = r.header.prev;
    return true;
  }
  if (!prev_file->is_string() || prev_file->get_string() != *previous_name)
    return fail(file, line_number,
                "the segment follows " +
                    (prev_file->is_string() ? std::string(prev_file->get_string())
                                            : std::string("nothing")) +
                    ", but the file before it is " + *previous_name + " (a segment is missing)");
  if (kind == "recovery") {
    const auto* listed = r.fields.if_contains("damaged");
    if (!listed || *listed != boost::json::value(damage_list_json(unacknowledged_)))
      return fail(file, line_number,
                  "the recovery record does not describe the damage found in the files before it");
    for (const auto& d : unacknowledged_)
      report.warnings.push_back(describe(d) + "; recorded by " + file + ":" +
                                std::to_string(line_number));
    unacknowledged_.clear();
  } else if (!unacknowledged_.empty()) {
    return fail(file, line_number,
                describe(unacknowledged_.front()) + ", and this segment does not record it");
  }
  return true;
}

bool verifier::finish(const std::vector<std::string>& names) {
  for (const auto& d : unacknowledged_)
    report.warnings.push_back(describe(d) +
                              "; not recorded yet (the gateway records it when it next opens the "
                              "log)");
  if (directory_mode_) {
    // Pruning deletes the oldest segments after writing a prune record naming the oldest one
    // kept and its first prev; any other loss of old segments shows here.
    if (last_prune_) {
      const auto& p = *last_prune_;
      if (std::find(names.begin(), names.end(), p.anchor_file) == names.end())
        return fail(p.file, p.line_number,
                    "the prune record keeps " + p.anchor_file +
                        " as the oldest segment, but it "
                        "is missing");
      if (names.front() == p.anchor_file && first_prev_ != p.anchor_prev)
        return fail(names.front(), 1, "prev differs from the anchor the prune record noted");
    } else if (first_prev_file_.is_string()) {
      return fail(names.front(), 1,
                  "the segment follows " + std::string(first_prev_file_.get_string()) +
                      ", which is missing, and no prune record says it was deleted");
    }
  }
  if (options_.expect && !expect_found_)
    return fail(report.last.file, 0,
                "record " + std::to_string(options_.expect->seq) +
                    " is not in the log (truncated, or the head is from another log)");
  return true;
}

}  // namespace

verify_report verify_audit(const fs::path& path, const verify_options& options) {
  std::error_code ec;
  const bool directory = fs::is_directory(path, ec);
  verifier v(directory, options);
  if (!directory) {
    if (!fs::exists(path, ec)) {
      v.report.first_error = path.string() + ": no such file or directory";
      return v.report;
    }
    if (v.check_file(path, nullptr) && v.finish({chain_name(path)}))
      v.report.ok = v.report.records > 0;
    if (v.report.ok == false && v.report.first_error.empty())
      v.report.first_error = chain_name(path) + ": no records";
    return v.report;
  }
  auto segments = list_segments(path);
  if (!segments) {
    v.report.first_error = segments.error();
    return v.report;
  }
  if (segments->empty()) {
    v.report.first_error =
        path.string() + ": no audit segments (audit-YYYY-MM.jsonl, audit-YYYY-MM.jsonl.zst)";
    return v.report;
  }
  std::vector<std::string> names;
  for (const auto& segment : *segments) {
    if (segment.sealing_interrupted)
      v.report.warnings.push_back(segment.file_name() +
                                  " is there both plain and sealed (a sealing in progress, or "
                                  "interrupted: the gateway finishes it when it next opens the "
                                  "log); the plain file is checked");
    if (!v.check_file(segment.path, names.empty() ? nullptr : &names.back())) return v.report;
    names.push_back(segment.file_name());
  }
  if (!v.finish(names)) return v.report;
  v.report.ok = true;
  return v.report;
}

boost::system::result<record_ref, std::string> read_head(const fs::path& dir) {
  auto segments = list_segments(dir);
  if (!segments) return segments.error();
  for (std::size_t i = segments->size(); i-- > 0;) {
    const segment_file& segment = (*segments)[i];
    auto tail = read_tail(segment.path);
    if (!tail) return tail.error();
    if (tail->complete_end == 0) continue;  // an empty or torn-only segment: look further back
    const std::string name = segment.file_name();
    auto record = parse_record(tail->last_line);
    if (!record) return name + ": last record: " + record.error();
    return record_ref{record->header.seq, record->hash, name};
  }
  return dir.string() + ": no audit records";
}

}  // namespace varco::saml::audit
