// A scratch directory holding a config and the files it names (real EC keys made with OpenSSL),
// removed at the end of each test.
#pragma once

#include "conf/loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace varco::conf::testing {

class conf_fixture : public ::testing::Test {
 protected:
  conf_fixture();
  ~conf_fixture() override;

  std::filesystem::path path(const std::string& name) const { return dir_ / name; }
  void write(const std::string& name, const std::string& content) const;
  // PEM EC private key on `curve` ("P-256", "P-384"); with public_name, its public key too.
  void write_ec_key(const std::string& name, const char* curve = "P-256",
                    const std::string& public_name = "") const;

  // Writes varco.yaml and loads it.
  load_outcome load(const std::string& yaml) const;
  // The error texts ("varco.yaml:3: …") of loading `yaml`, with the scratch directory removed.
  std::vector<std::string> errors_of(const std::string& yaml) const;

  std::filesystem::path dir_;
};

// A valid minimal config: jwt (lines 1-3) then one product (lines 4-10).
inline constexpr const char* minimal_jwt =
    "jwt:\n"
    "  key_file: jwt.pem\n"
    "  kid: k1\n";
inline constexpr const char* minimal_products =
    "products:\n"
    "  - id: p\n"
    "    title: P\n"
    "    path_prefix: /p\n"
    "    environments:\n"
    "      - id: collaudo\n"
    "        upstreams: [http://127.0.0.1:9101]\n";

}  // namespace varco::conf::testing
