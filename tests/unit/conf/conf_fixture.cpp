#include "tests/unit/conf/conf_fixture.hpp"

#include "base/openssl_handles.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <fstream>
#include <memory>

namespace varco::conf::testing {
namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace

conf_fixture::conf_fixture() {
  std::string pattern = (std::filesystem::temp_directory_path() / "varco-conf-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  write_ec_key("jwt.pem");
}

conf_fixture::~conf_fixture() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void conf_fixture::write(const std::string& name, const std::string& content) const {
  std::filesystem::create_directories(path(name).parent_path());
  std::ofstream out(path(name), std::ios::binary);
  out << content;
  ASSERT_TRUE(out.good()) << name;
}

void conf_fixture::write_ec_key(const std::string& name, const char* curve,
                                const std::string& public_name) const {
  base::openssl_ptr<EVP_PKEY> key(EVP_EC_gen(curve));
  ASSERT_TRUE(key);
  base::openssl_ptr<BIO> bio(BIO_new(BIO_s_mem()));
  ASSERT_EQ(PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr),
            1);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  write(name, std::string(data, static_cast<std::size_t>(size)));
  if (public_name.empty()) return;
  base::openssl_ptr<BIO> pub(BIO_new(BIO_s_mem()));
  ASSERT_EQ(PEM_write_bio_PUBKEY(pub.get(), key.get()), 1);
  size = BIO_get_mem_data(pub.get(), &data);
  write(public_name, std::string(data, static_cast<std::size_t>(size)));
}

load_outcome conf_fixture::load(const std::string& yaml) const {
  write("varco.yaml", yaml);
  return load_config(path("varco.yaml").string());
}

std::vector<std::string> conf_fixture::errors_of(const std::string& yaml) const {
  auto outcome = load(yaml);
  EXPECT_EQ(outcome.value == nullptr, !outcome.errors.empty());
  std::vector<std::string> texts;
  for (const auto& e : outcome.errors) {
    texts.push_back(replace_all(e.to_string(), dir_.string() + "/", ""));
  }
  return texts;
}

}  // namespace varco::conf::testing
