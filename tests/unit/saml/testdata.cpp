#include "testdata.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <sys/wait.h>

namespace varco::saml::test {

std::filesystem::path testdata_path(std::string_view file) {
  return std::filesystem::path(VARCO_SAML_TESTDATA) / std::string(file);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  EXPECT_TRUE(out.good()) << "cannot write " << path;
}

signing_credentials credentials(std::string_view name) {
  const std::string base(name);
  return signing_credentials::from_files(testdata_path(base + ".key"), testdata_path(base + ".crt"))
      .value();
}

certificate cert(std::string_view name) {
  return certificate::from_pem(read_file(testdata_path(std::string(name) + ".crt"))).value();
}

temp_dir::temp_dir() {
  std::string pattern =
      (std::filesystem::path(::testing::TempDir()) / "varco-saml-XXXXXX").string();
  const char* made = ::mkdtemp(pattern.data());
  EXPECT_NE(made, nullptr) << "mkdtemp " << pattern;
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

int run(const std::string& command, std::string* output) {
  // Not a unique_ptr: pclose's return value is the command's exit status, which we need.
  FILE* raw = ::popen((command + " 2>&1").c_str(), "r");
  if (raw == nullptr) return -1;
  std::string text;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, raw)) > 0) text.append(buffer, n);
  const int status = ::pclose(raw);
  if (output != nullptr) *output = std::move(text);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace varco::saml::test
