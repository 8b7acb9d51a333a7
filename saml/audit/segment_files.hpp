// The files of an audit directory. Segment files are named by the month of their first record,
// `audit-YYYY-MM.jsonl`, and `audit-YYYY-MM.K.jsonl` (K = 1, 2, …) for a further segment started
// in the same month (after a crash left a torn line, or when a segment reached its size limit);
// chain order is (month, K). A sealed segment is the same name plus ".zst" (segment_reader.hpp);
// its records, and the name its header carries, are those of the plain file it replaced. Other
// files in the directory (the lock file, operators' notes) are ignored.
#pragma once

#include <boost/json/array.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace varco::saml::audit {

inline constexpr std::string_view lock_file_name = "audit.lock";

struct segment_name {
  int month = 0;  // month_index()
  int index = 0;  // 0 for the first segment of the month

  std::string file_name() const;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=> as a 0 literal
  auto operator<=>(const segment_name&) const = default;
};

std::optional<segment_name> parse_segment_name(std::string_view file_name);

struct segment_file {
  segment_name name;
  std::filesystem::path path;  // the file to read: the plain one while it exists, else the sealed
  bool sealed = false;         // path is the ".zst" file
  bool sealing_interrupted = false;  // both files exist (a crash while sealing, or sealing now)

  std::string file_name() const { return name.file_name(); }  // the name in the chain
};

// Oldest first, one entry per segment. An unreadable directory is an error; an empty one is not.
boost::system::result<std::vector<segment_file>, std::string> list_segments(
    const std::filesystem::path& dir);

// The name of a new segment for `month`, sorting after every existing one (a clock set back never
// makes a new file sort before an older one).
segment_name next_segment_name(const std::vector<segment_file>& existing, int month);

// The end of a file, read backwards without loading the whole file: where the last complete line
// (ending in '\n') is, and what follows it when the file does not end in '\n' (a torn write).
struct file_tail {
  std::uint64_t size = 0;
  std::uint64_t complete_end = 0;  // offset just past the last '\n'; 0 when there is none
  std::string last_line;           // the last complete line without '\n'; empty when none
  // An empty file is damaged too: a crash right after creating it, before its first record.
  bool damaged() const { return size == 0 || size != complete_end; }
};

// A sealed file is read through from the start (it is never appended to, and is only read this
// way when it is the newest segment with a record, after a crash).
boost::system::result<file_tail, std::string> read_tail(const std::filesystem::path& path);

// The first line of a file, without '\n' (the segment header, for prune's anchor); nullopt and
// `error` set when there is none.
std::optional<std::string> read_first_line(const std::filesystem::path& path, std::string& error);

// What a recovery record says about a damaged file: the bytes after the last complete record
// (`torn_bytes` of them from `offset`, with their SHA-256 so the evidence is fingerprinted even if
// it later changes). The writer and the verifier build the same JSON from it and compare.
struct damage {
  std::string file;
  std::uint64_t offset = 0;
  std::uint64_t torn_bytes = 0;
  std::string torn_sha256;
};

boost::system::result<damage, std::string> describe_damage(const std::filesystem::path& path,
                                                           const file_tail& tail);
boost::json::array damage_list_json(const std::vector<damage>& list);

// A new, renamed or removed directory entry is durable only once the directory itself is synced.
void sync_directory(const std::filesystem::path& dir);

}  // namespace varco::saml::audit
