// Test keys and certificates (testdata/README.md) and small helpers shared by the saml tests.
#pragma once

#include "saml/credentials.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace varco::saml::test {

std::filesystem::path testdata_path(std::string_view file);
std::string read_file(const std::filesystem::path& path);  // fails the test when unreadable
void write_file(const std::filesystem::path& path, std::string_view bytes);

// "idp", "sp", "attacker": RSA 2048 key + self-signed certificate.
signing_credentials credentials(std::string_view name);
certificate cert(std::string_view name);  // also "ec" (P-256)

// A fresh directory under the gtest temporary directory, removed by the destructor.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs a shell command; returns its exit status, its standard output (and error) in `output`.
int run(const std::string& command, std::string* output = nullptr);

}  // namespace varco::saml::test
