#include "saml/audit/segment_files.hpp"

#include "base/hex.hpp"
#include "base/openssl_handles.hpp"
#include "saml/audit/audit_time.hpp"
#include "saml/audit/record_codec.hpp"
#include "saml/audit/segment_reader.hpp"
#include "saml/audit/unique_fd.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <span>
#include <sys/stat.h>
#include <unistd.h>

namespace varco::saml::audit {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view prefix = "audit-";
constexpr std::string_view suffix = ".jsonl";
constexpr std::size_t chunk_size = 64 * 1024;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string errno_text(const fs::path& path, const char* what) {
  return path.filename().string() + ": " + what + ": " + std::strerror(errno);
}

// pread until `size` bytes or end of file.
bool read_at(int fd, std::uint64_t offset, char* out, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::pread(fd, out, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    out += n;
    offset += static_cast<std::uint64_t>(n);
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::string segment_name::file_name() const {
  const auto ym = month_of(month);
  char buffer[48];
  if (index == 0)
    std::snprintf(buffer, sizeof buffer, "audit-%04d-%02u.jsonl", int(ym.year()),
                  unsigned(ym.month()));
  else
    std::snprintf(buffer, sizeof buffer, "audit-%04d-%02u.%d.jsonl", int(ym.year()),
                  unsigned(ym.month()), index);
  return buffer;
}

std::optional<segment_name> parse_segment_name(std::string_view name) {
  if (!name.starts_with(prefix) || !name.ends_with(suffix)) return std::nullopt;
  name.remove_prefix(prefix.size());
  name.remove_suffix(suffix.size());
  // YYYY-MM or YYYY-MM.K
  if (name.size() < 7 || name[4] != '-') return std::nullopt;
  const std::string_view year_text = name.substr(0, 4);
  const std::string_view month_text = name.substr(5, 2);
  std::string_view index_text;
  if (name.size() > 7) {
    if (name[7] != '.') return std::nullopt;
    index_text = name.substr(8);
    if (!all_digits(index_text) || index_text.front() == '0' || index_text.size() > 6)
      return std::nullopt;
  }
  if (!all_digits(year_text) || !all_digits(month_text)) return std::nullopt;
  int y = 0, m = 0, k = 0;
  std::from_chars(year_text.data(), year_text.data() + year_text.size(), y);
  std::from_chars(month_text.data(), month_text.data() + month_text.size(), m);
  if (!index_text.empty())
    std::from_chars(index_text.data(), index_text.data() + index_text.size(), k);
  if (m < 1 || m > 12) return std::nullopt;
  const segment_name out{month_index(std::chrono::year{y} / std::chrono::month{unsigned(m)}), k};
  // Only the spelling file_name() produces, so one segment has one name.
  if (out.file_name() != std::string(prefix) + std::string(name) + std::string(suffix))
    return std::nullopt;
  return out;
}

boost::system::result<std::vector<segment_file>, std::string> list_segments(const fs::path& dir) {
  std::error_code ec;
  std::vector<segment_file> found;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string file_name = it->path().filename().string();
    const bool sealed = file_name.ends_with(sealed_suffix);
    if (sealed) file_name.resize(file_name.size() - sealed_suffix.size());
    const auto name = parse_segment_name(file_name);
    if (name && it->is_regular_file(ec)) found.push_back({*name, it->path(), sealed});
  }
  if (ec) return dir.string() + ": " + ec.message();
  // The plain file first among two of the same segment: it is the original while both exist.
  std::sort(found.begin(), found.end(), [](const segment_file& a, const segment_file& b) {
    return a.name != b.name ? a.name < b.name : !a.sealed && b.sealed;
  });
  std::vector<segment_file> out;
  for (auto& file : found) {
    if (!out.empty() && out.back().name == file.name) {
      out.back().sealing_interrupted = true;
      continue;
    }
    out.push_back(std::move(file));
  }
  return out;
}

segment_name next_segment_name(const std::vector<segment_file>& existing, int month) {
  if (existing.empty()) return {month, 0};
  const segment_name& newest = existing.back().name;
  if (newest.month < month) return {month, 0};
  return {newest.month, newest.index + 1};
}

namespace {

boost::system::result<file_tail, std::string> read_sealed_tail(const fs::path& path) {
  auto reader = segment_reader::open(path);
  if (!reader) return reader.error();
  file_tail out;
  std::string line;  // the bytes since the last '\n'
  std::array<char, chunk_size> buffer{};
  for (;;) {
    auto n = reader->read(buffer.data(), buffer.size());
    if (!n) return n.error();
    if (*n == 0) break;
    std::string_view chunk(buffer.data(), *n);
    for (auto newline = chunk.find('\n'); newline != std::string_view::npos;
         newline = chunk.find('\n')) {
      line.append(chunk.substr(0, newline));
      out.last_line = std::move(line);
      line.clear();
      chunk.remove_prefix(newline + 1);
      out.complete_end = reader->position() - chunk.size();
    }
    if (line.size() + chunk.size() > max_record_bytes)
      return path.filename().string() + ": a line is too long";
    line.append(chunk);
  }
  out.size = reader->position();
  return out;
}

}  // namespace

boost::system::result<file_tail, std::string> read_tail(const fs::path& path) {
  if (is_sealed_path(path)) return read_sealed_tail(path);
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return errno_text(path, "open");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno_text(path, "stat");
  file_tail out;
  out.size = static_cast<std::uint64_t>(st.st_size);

  // Read backwards until two newlines are in hand (the end of the last complete line and the
  // end of the one before it) or the start of the file is reached.
  std::string tail;
  std::uint64_t start = out.size;
  std::size_t newlines = 0;
  const std::size_t limit = 2 * max_record_bytes + chunk_size;
  while (start > 0 && newlines < 2) {
    if (tail.size() > limit) return path.filename().string() + ": the last line is too long";
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size, start));
    start -= n;
    std::string chunk(n, '\0');
    if (!read_at(fd.get(), start, chunk.data(), n)) return errno_text(path, "read");
    newlines += static_cast<std::size_t>(std::count(chunk.begin(), chunk.end(), '\n'));
    tail.insert(0, chunk);
  }
  const auto last_newline = tail.rfind('\n');
  if (last_newline == std::string::npos) return out;  // no complete line at all
  out.complete_end = start + last_newline + 1;
  const auto line_start =
      last_newline == 0 ? std::string::npos : tail.rfind('\n', last_newline - 1);
  const std::size_t from = line_start == std::string::npos ? 0 : line_start + 1;
  // Reaching `from == 0` with start > 0 cannot happen: the loop stops only at two newlines.
  out.last_line = tail.substr(from, last_newline - from);
  return out;
}

std::optional<std::string> read_first_line(const fs::path& path, std::string& error) {
  auto reader = segment_reader::open(path);
  if (!reader) {
    error = reader.error();
    return std::nullopt;
  }
  std::string out;
  std::array<char, 4096> buffer{};
  while (out.size() <= max_record_bytes) {
    auto n = reader->read(buffer.data(), buffer.size());
    if (!n) {
      error = n.error();
      return std::nullopt;
    }
    if (*n == 0) break;
    const std::string_view chunk(buffer.data(), *n);
    const auto newline = chunk.find('\n');
    if (newline != std::string_view::npos) return out.append(chunk.substr(0, newline));
    out.append(chunk);
  }
  error = path.filename().string() + ": no complete first line";
  return std::nullopt;
}

namespace {

std::optional<std::string> sha256_of_rest(const fs::path& path, std::uint64_t offset,
                                          std::string& error) {
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    error = errno_text(path, "open");
    return std::nullopt;
  }
  base::openssl_ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    error = "SHA-256 unavailable";
    return std::nullopt;
  }
  std::array<char, chunk_size> buffer{};
  for (;;) {
    const ssize_t n = ::pread(fd.get(), buffer.data(), buffer.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = errno_text(path, "read");
      return std::nullopt;
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx.get(), digest.data(), &size);
  return base::hex(std::span<const unsigned char>(digest.data(), size));
}

}  // namespace

boost::system::result<damage, std::string> describe_damage(const fs::path& path,
                                                           const file_tail& tail) {
  std::string error;
  auto fingerprint = sha256_of_rest(path, tail.complete_end, error);
  if (!fingerprint) return {boost::system::in_place_error, std::move(error)};
  return damage{path.filename().string(), tail.complete_end, tail.size - tail.complete_end,
                std::move(*fingerprint)};
}

boost::json::array damage_list_json(const std::vector<damage>& list) {
  boost::json::array out;
  for (const auto& d : list) {
    // Signed integers: that is what the parser gives back, so the verifier's comparison of the
    // stored JSON with the rebuilt JSON does not depend on number representation.
    out.push_back(boost::json::object{{"file", d.file},
                                      {"offset", static_cast<std::int64_t>(d.offset)},
                                      {"torn_bytes", static_cast<std::int64_t>(d.torn_bytes)},
                                      {"torn_sha256", d.torn_sha256}});
  }
  return out;
}

void sync_directory(const fs::path& dir) {
  const unique_fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd) ::fsync(fd.get());
}

}  // namespace varco::saml::audit
