#include "tests/support/test_files.hpp"

#include "base/openssl_handles.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace varco::test {

namespace {

using evp_pkey_ptr = base::openssl_ptr<EVP_PKEY>;
using bio_ptr = base::openssl_ptr<BIO>;
using x509_ptr = base::openssl_ptr<X509>;

void write_private_key(const fs::path& path, EVP_PKEY* key) {
  bio_ptr out(BIO_new_file(path.c_str(), "w"));
  if (!out || PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    throw std::runtime_error("cannot write a private key to " + path.string());
}

}  // namespace

temp_dir::temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "varco-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

void write_file(const fs::path& path, const std::string& text) {
  const fs::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  fs::rename(temporary, path);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

std::string fill_placeholders(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [from, to] : values) text = replace_all(std::move(text), from, to);
  return text;
}

void write_ec_private_key(const fs::path& path) {
  evp_pkey_ptr key(EVP_EC_gen("P-256"));
  if (!key) throw std::runtime_error("cannot generate an EC key");
  write_private_key(path, key.get());
}

void write_self_signed_certificate(const fs::path& certificate, const fs::path& key_path) {
  evp_pkey_ptr key(EVP_EC_gen("P-256"));
  x509_ptr x509(X509_new());
  if (!key || !x509) throw std::runtime_error("cannot make a certificate");
  X509_set_version(x509.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x509.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(x509.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(x509.get()), 3600);
  X509_set_pubkey(x509.get(), key.get());
  X509_NAME* name = X509_get_subject_name(x509.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x509.get(), name);
  if (X509_sign(x509.get(), key.get(), EVP_sha256()) == 0)
    throw std::runtime_error("cannot sign the certificate");
  bio_ptr out(BIO_new_file(certificate.c_str(), "w"));
  if (!out || PEM_write_bio_X509(out.get(), x509.get()) != 1)
    throw std::runtime_error("cannot write " + certificate.string());
  write_private_key(key_path, key.get());
}

}  // namespace varco::test
