#include "saml/audit/segment_reader.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace varco::saml::audit {
namespace {

namespace fs = std::filesystem;

// The window the sealer uses is far smaller (a few MiB at level 9); 128 MiB is zstd's own
// default limit, set here so that it does not depend on the library's version.
constexpr int max_window_log = 27;

std::string errno_text(const std::string& name, const char* what) {
  return name + ": " + what + ": " + std::strerror(errno);
}

}  // namespace

bool is_sealed_path(const fs::path& path) {
  return path.filename().string().ends_with(sealed_suffix);
}

segment_reader::segment_reader(unique_fd fd, std::string name, zstd_ptr<ZSTD_DCtx> decoder)
    : fd_(std::move(fd)), name_(std::move(name)), decoder_(std::move(decoder)) {
  if (decoder_) input_.resize(ZSTD_DStreamInSize());
}

boost::system::result<segment_reader, std::string> segment_reader::open(const fs::path& path) {
  return open(path, is_sealed_path(path));
}

boost::system::result<segment_reader, std::string> segment_reader::open(const fs::path& path,
                                                                        bool sealed) {
  const std::string name = path.filename().string();
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return errno_text(name, "open");
  zstd_ptr<ZSTD_DCtx> decoder;
  if (sealed) {
    decoder.reset(ZSTD_createDCtx());
    if (!decoder) return name + ": cannot allocate a zstd decoder";
    const std::size_t set =
        ZSTD_DCtx_setParameter(decoder.get(), ZSTD_d_windowLogMax, max_window_log);
    if (ZSTD_isError(set)) return name + ": zstd: " + ZSTD_getErrorName(set);
  }
  return segment_reader(std::move(fd), name, std::move(decoder));
}

boost::system::result<std::size_t, std::string> segment_reader::read(char* out, std::size_t size) {
  if (decoder_) return read_sealed(out, size);
  for (;;) {
    const ssize_t n = ::pread(fd_.get(), out, size, static_cast<off_t>(produced_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_text(name_, "read");
    produced_ += static_cast<std::uint64_t>(n);
    return static_cast<std::size_t>(n);
  }
}

boost::system::result<std::size_t, std::string> segment_reader::read_sealed(char* out,
                                                                            std::size_t size) {
  ZSTD_outBuffer output{out, size, 0};
  while (output.pos == 0) {
    if (input_pos_ == input_end_ && !input_done_) {
      const ssize_t n =
          ::pread(fd_.get(), input_.data(), input_.size(), static_cast<off_t>(file_offset_));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno_text(name_, "read");
      file_offset_ += static_cast<std::uint64_t>(n);
      input_pos_ = 0;
      input_end_ = static_cast<std::size_t>(n);
      input_done_ = n == 0;
    }
    const bool no_more_input = input_pos_ == input_end_ && input_done_;
    if (no_more_input && last_hint_ == 0) {
      // Every frame is complete; an empty file is not a compressed segment at all.
      if (file_offset_ == 0) return name_ + ": the compressed segment is truncated (empty)";
      return std::size_t{0};
    }
    ZSTD_inBuffer input{input_.data(), input_end_, input_pos_};
    const std::size_t hint = ZSTD_decompressStream(decoder_.get(), &output, &input);
    input_pos_ = input.pos;
    if (ZSTD_isError(hint))
      return name_ + ": not a valid compressed segment (zstd: " + ZSTD_getErrorName(hint) +
             "): the file was altered or damaged";
    // A file cut short is not a prefix of the segment: it ends inside a frame.
    if (no_more_input && output.pos == 0)
      return name_ + ": the compressed segment is truncated (it ends inside a zstd frame)";
    last_hint_ = hint;
    if (produced_ + output.pos > max_sealed_plain_bytes)
      return name_ + ": decompresses to more than " + std::to_string(max_sealed_plain_bytes >> 20) +
             " MiB, more than any segment the log seals (refused, not read to the end)";
  }
  produced_ += output.pos;
  return output.pos;
}

std::optional<std::string> read_segment(const fs::path& path, std::uint64_t limit,
                                        std::string& error) {
  auto reader = segment_reader::open(path);
  if (!reader) {
    error = reader.error();
    return std::nullopt;
  }
  std::string out;
  std::array<char, 64 * 1024> buffer{};
  for (;;) {
    auto n = reader->read(buffer.data(), buffer.size());
    if (!n) {
      error = n.error();
      return std::nullopt;
    }
    if (*n == 0) return out;
    if (out.size() + *n > limit) {
      error = path.filename().string() + ": larger than expected";
      return std::nullopt;
    }
    out.append(buffer.data(), *n);
  }
}

}  // namespace varco::saml::audit
