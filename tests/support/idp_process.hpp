// The demo SPID IdP (demo/idp/idp.py, pysaml2 from Debian, run with /usr/bin/python3) in its own
// process on a free loopback port: an independent SAML implementation for varco's login tests.
//
// It starts before varco (varco loads its metadata at start-up) and reads varco's SP metadata
// lazily from `sp_metadata` (a file the test writes once varco is up). Not thread-safe; the
// destructor kills it.
#pragma once

#include "tests/support/test_files.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <sys/types.h>

namespace varco::test {

class idp_process {
 public:
  struct options {
    fs::path sp_metadata;  // file; may not exist yet
    std::string name = "IdP di prova";
    std::chrono::milliseconds start_timeout = std::chrono::seconds(30);
  };

  explicit idp_process(const options& opts);
  ~idp_process();
  idp_process(const idp_process&) = delete;
  idp_process& operator=(const idp_process&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  const std::string& entity_id() const noexcept { return entity_id_; }
  fs::path metadata_file() const { return dir_ / "idp-metadata.xml"; }
  std::string output() const;

  // The demo's source tree (demo/idp/idp.py lives there).
  static fs::path source_dir();

 private:
  temp_dir dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::string entity_id_;
};

}  // namespace varco::test
