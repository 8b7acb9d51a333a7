// Reads the records' bytes of one segment file in order, whether the file is the plain JSON lines
// of an open segment (`audit-YYYY-MM.jsonl`) or a sealed segment compressed with zstd
// (`audit-YYYY-MM.jsonl.zst`, docs/audit.md "Sealed segments"). What comes out is the same bytes
// either way, so the chain is checked on exactly what was hashed.
//
// A compressed file is untrusted input (`varco audit verify` of a copy from elsewhere): its
// decompressed size is capped (max_sealed_plain_bytes) and the decoder's window is bounded, so a
// crafted file cannot make the verifier run without end or allocate without bound. A file that is
// not a valid zstd stream, fails the frame checksum, or ends mid-frame is an error that says so.
#pragma once

#include "saml/audit/unique_fd.hpp"
#include "saml/audit/zstd_handles.hpp"

#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace varco::saml::audit {

inline constexpr std::string_view sealed_suffix = ".zst";
// A sealed segment holds at most one rotation's worth (64 MiB by default); 1 GiB leaves room for
// any configured size and still refuses a decompression bomb.
inline constexpr std::uint64_t max_sealed_plain_bytes = std::uint64_t{1} << 30;

bool is_sealed_path(const std::filesystem::path& path);

class segment_reader {
 public:
  // Opens `path`; a name ending in ".zst" is decompressed. The error is "FILE: what".
  static boost::system::result<segment_reader, std::string> open(const std::filesystem::path& path);
  // The same, compressed or not as `sealed` says whatever the name (the sealer's temporary file).
  static boost::system::result<segment_reader, std::string> open(const std::filesystem::path& path,
                                                                 bool sealed);

  // Up to `size` bytes of the records into `out`; 0 at the end. An error is "FILE: what".
  boost::system::result<std::size_t, std::string> read(char* out, std::size_t size);

  bool sealed() const { return static_cast<bool>(decoder_); }
  std::uint64_t position() const { return produced_; }  // plain bytes returned so far

 private:
  segment_reader(unique_fd fd, std::string name, zstd_ptr<ZSTD_DCtx> decoder);
  boost::system::result<std::size_t, std::string> read_sealed(char* out, std::size_t size);

  unique_fd fd_;
  std::string name_;  // the file name, for errors
  zstd_ptr<ZSTD_DCtx> decoder_;
  std::vector<char> input_;  // compressed bytes read but not yet decoded: [input_pos_, input_end_)
  std::size_t input_pos_ = 0;
  std::size_t input_end_ = 0;
  std::uint64_t file_offset_ = 0;
  std::uint64_t produced_ = 0;
  std::size_t last_hint_ = 0;  // ZSTD_decompressStream's last return: 0 when a frame is complete
  bool input_done_ = false;
};

// A whole segment's records, at most `limit` bytes of them (tests); nullopt and `error` set when
// it cannot be read.
std::optional<std::string> read_segment(const std::filesystem::path& path, std::uint64_t limit,
                                        std::string& error);

}  // namespace varco::saml::audit
