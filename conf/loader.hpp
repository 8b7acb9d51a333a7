// Loading a varco YAML configuration into the typed model of conf/config.hpp.
//
// load_config() reads, parses and validates in one pass and reports every problem it finds, each
// as "file:line: what is wrong", so an operator fixes a config in one round instead of one error
// per restart. It never throws; on any error no config is returned, so a bad file can neither
// start the gateway nor replace a good snapshot on SIGHUP.
#pragma once

#include "conf/config.hpp"

#include <memory>
#include <string>
#include <vector>

namespace varco::conf {

struct config_error {
  std::string file;  // the config file as named to load_config()
  int line = 0;      // 1-based; 0 when the problem has no line (e.g. the file cannot be read)
  std::string message;

  std::string to_string() const;  // "file:line: message"
};

struct load_outcome {
  std::shared_ptr<const config> value;  // nullptr iff errors is non-empty
  std::vector<config_error> errors;
};

// Thread-safe (no shared state); reads the config file and the files it names (keys, certificates,
// password files), resolving relative paths against the config file's directory.
load_outcome load_config(const std::string& path);

}  // namespace varco::conf
