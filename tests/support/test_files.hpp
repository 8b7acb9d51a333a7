// Files a test writes for the processes it starts: a private temporary directory, atomic
// writes, and keys and certificates made with OpenSSL on the spot (nothing checked in).
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace varco::test {

namespace fs = std::filesystem;

// A fresh directory under the system temporary directory, removed with everything in it.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const fs::path& path() const noexcept { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

// Writes through a temporary file and a rename, so a reader (a SIGHUP reload) never sees half.
void write_file(const fs::path& path, const std::string& text);
std::string read_file(const fs::path& path);  // empty when missing

// Config text from a template: every `from` replaced by `to`; every key of `values` (a
// "{placeholder}") by its value, in key order, so a value may hold placeholders of later keys.
std::string replace_all(std::string text, const std::string& from, const std::string& to);
std::string fill_placeholders(std::string text, const std::map<std::string, std::string>& values);

void write_ec_private_key(const fs::path& path);  // P-256, PEM (PKCS#8)
// A self-signed P-256 certificate for CN=localhost valid for an hour, and its key, both PEM.
void write_self_signed_certificate(const fs::path& certificate, const fs::path& key);

}  // namespace varco::test
