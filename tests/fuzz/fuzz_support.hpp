// Shared by the libFuzzer targets: a private temporary directory, files written into it, and a
// loud abort for a broken invariant (libFuzzer records the input that caused it).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace varco::fuzz {

[[noreturn]] inline void invariant_broken(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}
#define VARCO_FUZZ_CHECK(cond) \
  ((cond) ? void(0) : ::varco::fuzz::invariant_broken(#cond " (" __FILE__ ")"))

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) invariant_broken("a fuzz data file is missing: the fuzz build is broken");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline void write_file(const std::filesystem::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) invariant_broken("cannot write into the fuzz temporary directory");
}

// A directory of this process's own, never removed (libFuzzer exits the process).
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "varco-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) invariant_broken("mkdtemp failed");
    return std::filesystem::path(pattern);
  }();
  return dir;
}

}  // namespace varco::fuzz
