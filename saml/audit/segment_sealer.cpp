#include "saml/audit/segment_sealer.hpp"

#include "saml/audit/segment_files.hpp"
#include "saml/audit/segment_reader.hpp"
#include "saml/audit/unique_fd.hpp"
#include "saml/audit/zstd_handles.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <utility>
#include <vector>
#include <zstd.h>

namespace varco::saml::audit {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view temporary_suffix = ".tmp";

std::string errno_text(const fs::path& path, const char* what) {
  return path.filename().string() + ": " + what + ": " + std::strerror(errno);
}

int write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return 0;
}

// Whether a compressed file holds exactly the records' bytes of a plain one.
boost::system::result<bool, std::string> same_records(const fs::path& compressed,
                                                      const fs::path& plain) {
  auto left = segment_reader::open(compressed, true);
  if (!left) return left.error();
  auto right = segment_reader::open(plain, false);
  if (!right) return right.error();
  std::array<char, 64 * 1024> left_buffer{};
  std::array<char, 64 * 1024> right_buffer{};
  for (;;) {
    auto n = left->read(left_buffer.data(), left_buffer.size());
    if (!n) return n.error();
    // Fill the same amount from the other side (a reader may return less than asked).
    std::size_t have = 0;
    while (have < *n) {
      auto m = right->read(right_buffer.data() + have, *n - have);
      if (!m) return m.error();
      if (*m == 0) return false;
      have += *m;
    }
    if (std::memcmp(left_buffer.data(), right_buffer.data(), *n) != 0) return false;
    if (*n == 0) {
      auto rest = right->read(right_buffer.data(), 1);
      if (!rest) return rest.error();
      return *rest == 0;
    }
  }
}

// Compresses `plain` into a new `out` file and makes it durable; "" on success.
std::string compress_file(const fs::path& plain, const fs::path& out, int level,
                          const std::atomic<bool>& stop, bool& stopped) {
  auto reader = segment_reader::open(plain, false);
  if (!reader) return reader.error();
  zstd_ptr<ZSTD_CCtx> encoder(ZSTD_createCCtx());
  if (!encoder) return "cannot allocate a zstd encoder";
  for (const auto& [parameter, value] :
       {std::pair{ZSTD_c_compressionLevel, level}, std::pair{ZSTD_c_checksumFlag, 1}}) {
    const std::size_t set = ZSTD_CCtx_setParameter(encoder.get(), parameter, value);
    if (ZSTD_isError(set)) return std::string("zstd: ") + ZSTD_getErrorName(set);
  }
  const unique_fd fd(::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
  if (!fd) return errno_text(out, "open");
  std::vector<char> input(ZSTD_CStreamInSize());
  std::vector<char> output(ZSTD_CStreamOutSize());
  for (bool last = false; !last;) {
    if (stop.load()) {
      stopped = true;
      return {};
    }
    auto n = reader->read(input.data(), input.size());
    if (!n) return n.error();
    last = *n == 0;
    ZSTD_inBuffer in{input.data(), *n, 0};
    for (bool finished = false; !finished;) {
      ZSTD_outBuffer produced{output.data(), output.size(), 0};
      const std::size_t remaining =
          ZSTD_compressStream2(encoder.get(), &produced, &in, last ? ZSTD_e_end : ZSTD_e_continue);
      if (ZSTD_isError(remaining)) return std::string("zstd: ") + ZSTD_getErrorName(remaining);
      if (const int error = write_all(fd.get(), output.data(), produced.pos)) {
        errno = error;
        return errno_text(out, "write");
      }
      finished = last ? remaining == 0 : in.pos == in.size;
    }
  }
  if (::fsync(fd.get()) != 0) return errno_text(out, "fsync");
  return {};
}

// Makes `sealed` the segment's only file: the plain one goes, unless a prune removed it first.
seal_result commit(const fs::path& plain, const fs::path* temporary, const fs::path& sealed,
                   std::mutex& files) {
  const fs::path dir = plain.parent_path();
  const std::lock_guard guard(files);
  std::error_code ec;
  if (!fs::exists(plain, ec)) {
    // Pruned while it was being compressed: do not bring it back.
    if (temporary) fs::remove(*temporary, ec);
    return {seal_outcome::left_plain, {}};
  }
  if (temporary) {
    if (::rename(temporary->c_str(), sealed.c_str()) != 0)
      return {seal_outcome::left_plain, errno_text(sealed, "rename")};
    sync_directory(dir);
  }
  if (::unlink(plain.c_str()) != 0) return {seal_outcome::left_plain, errno_text(plain, "unlink")};
  sync_directory(dir);
  return {seal_outcome::sealed, {}};
}

}  // namespace

seal_result seal_segment(const fs::path& plain, int level, const std::atomic<bool>& stop,
                         std::mutex& files) {
  fs::path sealed = plain;
  sealed += std::string(sealed_suffix);
  fs::path temporary = sealed;
  temporary += std::string(temporary_suffix);
  std::error_code ec;
  if (fs::exists(sealed, ec)) {
    // A crash between rename and unlink, or a file put there by someone else: keep it only if
    // it is exactly the segment; otherwise it is replaced below (rename replaces atomically).
    auto same = same_records(sealed, plain);
    if (same && *same) return commit(plain, nullptr, sealed, files);
  }
  auto tail = read_tail(plain);
  if (!tail) return {seal_outcome::left_plain, tail.error()};
  if (tail->damaged()) return {seal_outcome::left_plain, {}};  // evidence, kept as it is
  if (tail->size > max_sealed_plain_bytes) return {seal_outcome::left_plain, {}};

  bool stopped = false;
  std::string error = compress_file(plain, temporary, level, stop, stopped);
  if (stopped || !error.empty()) {
    fs::remove(temporary, ec);
    return {stopped ? seal_outcome::stopped : seal_outcome::left_plain, error};
  }
  // Read back before the plain file goes: what is removed must be recoverable bit for bit.
  auto same = same_records(temporary, plain);
  if (!same || !*same) {
    fs::remove(temporary, ec);
    return {seal_outcome::left_plain, plain.filename().string() +
                                          ": the compressed copy does not read back the same" +
                                          (same ? std::string() : " (" + same.error() + ")")};
  }
  return commit(plain, &temporary, sealed, files);
}

segment_sealer::segment_sealer(fs::path dir, int level)
    : dir_(std::move(dir)), level_(level), thread_([this] { run(); }) {}

segment_sealer::~segment_sealer() {
  stop_.store(true);
  {
    const std::lock_guard lock(mutex_);
    ++requested_;  // wakes the thread, which sees stop_
  }
  changed_.notify_all();
  thread_.join();
}

void segment_sealer::request() {
  {
    const std::lock_guard lock(mutex_);
    ++requested_;
  }
  changed_.notify_all();
}

void segment_sealer::wait_until_idle() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = requested_;
  changed_.wait(lock, [&] { return done_ >= target || stop_.load(); });
}

std::string segment_sealer::last_error() const {
  const std::lock_guard lock(mutex_);
  return last_error_;
}

std::uint64_t segment_sealer::sealed_count() const {
  const std::lock_guard lock(mutex_);
  return sealed_;
}

void segment_sealer::run() {
  for (;;) {
    std::uint64_t target = 0;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return requested_ > done_; });
      if (stop_.load()) {
        done_ = requested_;
        changed_.notify_all();
        return;
      }
      target = requested_;
    }
    seal_pending();
    {
      const std::lock_guard lock(mutex_);
      done_ = target;
    }
    changed_.notify_all();
  }
}

void segment_sealer::seal_pending() {
  auto segments = list_segments(dir_);
  if (!segments) {
    spdlog::error("audit: cannot list {} to seal its segments: {} (reason=audit_seal_failed)",
                  dir_.string(), segments.error());
    const std::lock_guard lock(mutex_);
    last_error_ = segments.error();
    return;
  }
  // Temporary files left by a sealing a crash or a stop interrupted (only this thread makes them).
  std::error_code ec;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with("audit-") && name.ends_with(".zst.tmp")) fs::remove(it->path(), ec);
  }
  // Never the newest: the log appends to it (or will start the next segment after it).
  for (std::size_t i = 0; i + 1 < segments->size() && !stop_.load(); ++i) {
    const segment_file& segment = (*segments)[i];
    if (segment.sealed) continue;
    const seal_result result = seal_segment(segment.path, level_, stop_, files_);
    if (!result.error.empty()) {
      // The plain file stays and is sealed again at the next rotation or start.
      spdlog::error("audit: sealing {} failed: {}; it stays plain (reason=audit_seal_failed)",
                    segment.path.string(), result.error);
    } else if (result.outcome == seal_outcome::sealed) {
      spdlog::info("audit: sealed {}", segment.path.string());
    }
    const std::lock_guard lock(mutex_);
    if (!result.error.empty()) last_error_ = result.error;
    if (result.outcome == seal_outcome::sealed) ++sealed_;
  }
}

}  // namespace varco::saml::audit
