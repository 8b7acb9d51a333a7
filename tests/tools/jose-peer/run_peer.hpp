// Runs tests/tools/jose-peer/peer.mjs (npm jose, the independent JOSE peer) and returns what it
// printed; a peer that does not exit 0 fails the calling test. VARCO_SOURCE_DIR is the
// repository, set by the test's CMakeLists.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

namespace varco::test {

struct pipe_closer {
  void operator()(FILE* f) const noexcept { pclose(f); }
};

inline std::string run_jose_peer(const std::string& arguments) {
  const std::filesystem::path script =
      std::filesystem::path(VARCO_SOURCE_DIR) / "tests/tools/jose-peer/peer.mjs";
  const std::string command = "node '" + script.string() + "' " + arguments;
  std::unique_ptr<FILE, pipe_closer> pipe(popen(command.c_str(), "r"));
  if (!pipe) {
    ADD_FAILURE() << "cannot run " << command;
    return {};
  }
  std::string out;
  std::array<char, 4096> chunk{};
  while (const std::size_t n = fread(chunk.data(), 1, chunk.size(), pipe.get()))
    out.append(chunk.data(), n);
  const int status = pclose(pipe.release());
  EXPECT_EQ(status, 0) << command;
  return out;
}

}  // namespace varco::test
