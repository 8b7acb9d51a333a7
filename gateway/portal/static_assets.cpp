#include "gateway/portal/static_assets.hpp"

#include "base/hex.hpp"

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <tuple>
#include <unistd.h>
#include <utility>

namespace varco::gateway {
namespace {

class static_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "varco.static"; }
  std::string message(int ev) const override {
    return std::string(reason_code(static_cast<static_errc>(ev)));
  }
};

// Closes the descriptor on every path out of read_static_file.
class file_descriptor {
 public:
  explicit file_descriptor(int fd) noexcept : fd_(fd) {}
  ~file_descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  file_descriptor(const file_descriptor&) = delete;
  file_descriptor& operator=(const file_descriptor&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

bool segment_allowed(std::string_view segment) noexcept {
  if (segment.empty() || segment.front() == '.') return false;
  for (const char c : segment) {
    if (c == '\\' || c == '\0' || c == '%') return false;
  }
  return true;
}

std::string_view extension_of(std::string_view file_name) noexcept {
  const auto slash = file_name.rfind('/');
  const auto base = slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
  const auto dot = base.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : base.substr(dot + 1);
}

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string_view opaque_tag(std::string_view tag) noexcept {
  return tag.starts_with("W/") ? tag.substr(2) : tag;
}

}  // namespace

const boost::system::error_category& static_category() noexcept {
  static const static_category_impl instance;
  return instance;
}

boost::system::error_code make_error_code(static_errc e) noexcept {
  return {static_cast<int>(e), static_category()};
}

std::string_view reason_code(static_errc e) noexcept {
  switch (e) {
    case static_errc::bad_path:
      return "static_bad_path";
    case static_errc::not_found:
      return "static_not_found";
    case static_errc::unknown_type:
      return "static_unknown_type";
    case static_errc::too_large:
      return "static_too_large";
    case static_errc::unreadable:
      return "static_unreadable";
  }
  return "static_error";
}

std::string_view content_type_for(std::string_view file_name) noexcept {
  struct mapping {
    std::string_view extension;
    std::string_view type;
  };
  static constexpr std::array<mapping, 13> types{{
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"eot", "application/vnd.ms-fontobject"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"ico", "image/x-icon"},
      {"json", "application/json"},
      {"map", "application/json"},
  }};
  const auto extension = extension_of(file_name);
  for (const auto& [known, type] : types) {
    if (extension == known) return type;
  }
  return {};
}

boost::system::result<std::filesystem::path> resolve_static_path(const std::filesystem::path& root,
                                                                 std::string_view relative) {
  if (relative.empty()) return make_error_code(static_errc::bad_path);
  std::string_view rest = relative;
  while (true) {
    const auto slash = rest.find('/');
    if (!segment_allowed(rest.substr(0, slash))) return make_error_code(static_errc::bad_path);
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  std::error_code ec;
  const auto canonical_root = std::filesystem::weakly_canonical(root, ec);
  if (ec) return make_error_code(static_errc::not_found);
  // weakly_canonical follows every symlink that exists, so a link out of the root shows up as
  // a path outside it here.
  auto resolved = std::filesystem::weakly_canonical(canonical_root / relative, ec);
  if (ec) return make_error_code(static_errc::not_found);
  const auto inside = resolved.lexically_relative(canonical_root);
  if (inside.empty() || *inside.begin() == ".." || *inside.begin() == ".")
    return make_error_code(static_errc::bad_path);
  return resolved;
}

std::string static_etag(std::uintmax_t size, std::int64_t modified_ns) {
  std::string tag = "\"";
  base::append_hex(tag, size);
  tag.push_back('-');
  base::append_hex(tag, static_cast<std::uint64_t>(modified_ns));
  tag.push_back('"');
  return tag;
}

bool if_none_match_hits(std::string_view if_none_match, std::string_view etag) noexcept {
  std::string_view rest = if_none_match;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto tag = trim(rest.substr(0, comma));
    if (tag == "*" || (!tag.empty() && opaque_tag(tag) == opaque_tag(etag))) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

namespace {

// Reads the whole regular file behind `fd` (`info` is its fstat) into `body`.
boost::system::error_code read_whole(const file_descriptor& fd, const struct stat& info,
                                     std::string& body) {
  body.resize(static_cast<std::size_t>(info.st_size));
  std::size_t done = 0;
  while (done < body.size()) {
    const auto n = ::read(fd.get(), body.data() + done, body.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error_code(static_errc::unreadable);  // error, or shrank while read
    done += static_cast<std::size_t>(n);
  }
  return {};
}

std::int64_t modified_ns(const struct stat& info) {
  return static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec;
}

// The precompressed sibling `<path><suffix>` when it is a regular file, within `max_bytes` and
// not older than the original (a stale one, left from an earlier version, is ignored).
bool read_sibling(const std::filesystem::path& path, std::string_view suffix,
                  const struct stat& original, std::size_t max_bytes, std::string& body) {
  const std::string name = path.string() + std::string(suffix);
  const file_descriptor fd(::open(name.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return false;
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) return false;
  if (static_cast<std::uintmax_t>(info.st_size) > max_bytes) return false;
  if (modified_ns(info) < modified_ns(original)) return false;
  return !read_whole(fd, info, body);
}

}  // namespace

bool is_compressible(std::string_view content_type) noexcept {
  return content_type.starts_with("text/") || content_type.starts_with("application/javascript") ||
         content_type.starts_with("application/json") || content_type.starts_with("image/svg+xml");
}

accepted_codings parse_accept_encoding(std::string_view header) noexcept {
  accepted_codings out;
  bool br_named = false;
  bool gzip_named = false;
  bool any = false;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    const auto semi = item.find(';');
    const std::string_view coding = trim(item.substr(0, semi));
    bool refused = false;
    if (semi != std::string_view::npos) {
      // ";q=0", ";q=0.0", ";q=0.00", ";q=0.000": refused (RFC 9110 12.4.2); any other q accepts.
      std::string_view weight = trim(item.substr(semi + 1));
      if (weight.size() >= 2 && (weight[0] == 'q' || weight[0] == 'Q') && weight[1] == '=') {
        weight = trim(weight.substr(2));
        refused = !weight.empty() && weight.front() == '0' &&
                  weight.find_first_not_of("0.", 0) == std::string_view::npos;
      }
    }
    auto is = [&](std::string_view name) {
      if (coding.size() != name.size()) return false;
      for (std::size_t i = 0; i < name.size(); ++i)
        if ((coding[i] | 0x20) != name[i]) return false;
      return true;
    };
    if (is("br")) {
      br_named = true;
      out.br = !refused;
    } else if (is("gzip") || is("x-gzip")) {
      gzip_named = true;
      out.gzip = !refused;
    } else if (coding == "*") {
      any = !refused;
    }
  }
  if (!br_named) out.br = any;
  if (!gzip_named) out.gzip = any;
  return out;
}

boost::system::result<static_file> read_static_file(const std::filesystem::path& root,
                                                    std::string_view relative,
                                                    std::size_t max_bytes,
                                                    accepted_codings accepted) {
  auto path = resolve_static_path(root, relative);
  if (!path) return path.error();
  static_file file;
  file.content_type = content_type_for(relative);
  if (file.content_type.empty()) return make_error_code(static_errc::unknown_type);

  // open + fstat on the same descriptor: the size and time describe the bytes read.
  const file_descriptor fd(::open(path->c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    return make_error_code(errno == ENOENT || errno == ENOTDIR ? static_errc::not_found
                                                               : static_errc::unreadable);
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return make_error_code(static_errc::unreadable);
  if (!S_ISREG(info.st_mode)) return make_error_code(static_errc::not_found);
  const auto size = static_cast<std::uintmax_t>(info.st_size);
  if (size > max_bytes) return make_error_code(static_errc::too_large);
  file.etag = static_etag(size, modified_ns(info));

  // A text file may have precompressed siblings (made by scripts/compress-static at build time,
  // as nginx's gzip_static and brotli_static serve them): brotli first, then gzip. Its answer
  // varies with Accept-Encoding whichever form is sent, and each form has its own validator.
  file.varies_by_encoding = is_compressible(file.content_type);
  if (file.varies_by_encoding) {
    for (const auto& [wanted, suffix, coding] :
         {std::tuple{accepted.br, std::string_view(".br"), std::string_view("br")},
          std::tuple{accepted.gzip, std::string_view(".gz"), std::string_view("gzip")}}) {
      if (wanted && read_sibling(*path, suffix, info, max_bytes, file.body)) {
        file.content_encoding = coding;
        file.etag.insert(file.etag.size() - 1, "-" + std::string(coding));
        return file;
      }
    }
  }
  if (auto ec = read_whole(fd, info, file.body)) return ec;
  return file;
}

}  // namespace varco::gateway
