#include "conf/files.hpp"

#include "base/openssl_handles.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>

namespace varco::conf::detail {
namespace {

struct file_closer {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using file_ptr = std::unique_ptr<std::FILE, file_closer>;

std::string quote(const std::string& path) { return "\"" + path + "\""; }

// Keys must not be encrypted (the gateway starts unattended); refusing the passphrase also keeps
// OpenSSL from prompting on the terminal.
int no_passphrase(char*, int, int, void*) { return -1; }

bool is_p256(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return false;
  char group[64] = {};
  std::size_t length = 0;
  if (EVP_PKEY_get_group_name(key, group, sizeof group, &length) != 1) return false;
  std::string_view name(group, length);
  return name == "prime256v1" || name == "P-256" || name == "secp256r1";
}

template <class Read>
std::optional<std::string> key_problem(const std::string& path, Read read, const char* what) {
  if (auto problem = readable_file_problem(path)) return problem;
  base::openssl_ptr<BIO> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    ERR_clear_error();
    return "cannot read " + quote(path);
  }
  base::openssl_ptr<EVP_PKEY> key(read(bio.get()));
  ERR_clear_error();  // leave no stale errors for the next OpenSSL user on this thread
  if (!key || !is_p256(key.get())) return quote(path) + " is not " + what;
  return std::nullopt;
}

}  // namespace

std::string resolve_path(const std::filesystem::path& base_dir, const std::string& path) {
  if (path.empty()) return path;
  std::filesystem::path p(path);
  if (p.is_relative()) p = base_dir / p;
  return p.lexically_normal().string();
}

std::optional<std::string> readable_file_problem(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return "cannot read " + quote(path) + ": is a directory";
  file_ptr file(std::fopen(path.c_str(), "rb"));
  if (!file) return "cannot read " + quote(path) + ": " + std::strerror(errno);
  return std::nullopt;
}

std::optional<std::string> ec_p256_private_key_problem(const std::string& path) {
  return key_problem(
      path, [](BIO* bio) { return PEM_read_bio_PrivateKey(bio, nullptr, no_passphrase, nullptr); },
      "a PEM EC P-256 private key (unencrypted)");
}

std::optional<std::string> ec_p256_public_key_problem(const std::string& path) {
  return key_problem(
      path, [](BIO* bio) { return PEM_read_bio_PUBKEY(bio, nullptr, no_passphrase, nullptr); },
      "a PEM EC P-256 public key");
}

std::optional<std::string> read_secret(const std::string& path, std::string& problem) {
  if (auto p = readable_file_problem(path)) {
    problem = *p;
    return std::nullopt;
  }
  file_ptr file(std::fopen(path.c_str(), "rb"));
  std::string content;
  char buffer[4096];
  std::size_t n = 0;
  while (file && (n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0)
    content.append(buffer, n);
  if (!file || std::ferror(file.get())) {
    problem = "cannot read " + quote(path);
    return std::nullopt;
  }
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r' ||
                              content.back() == ' ' || content.back() == '\t')) {
    content.pop_back();
  }
  return content;
}

}  // namespace varco::conf::detail
