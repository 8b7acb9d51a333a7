// The files a config names: path resolution against the config's directory and the checks that
// they can be read (and, for keys, parsed), so a missing key fails at load and not at first use.
// Internal to the loader.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace varco::conf::detail {

// Relative paths are taken from `base_dir` (the config file's directory); the result is
// lexically normal. Empty stays empty.
std::string resolve_path(const std::filesystem::path& base_dir, const std::string& path);

// Each returns what is wrong ("cannot read \"/x\": No such file or directory"), nullopt if fine.
std::optional<std::string> readable_file_problem(const std::string& path);
std::optional<std::string> ec_p256_private_key_problem(const std::string& path);
std::optional<std::string> ec_p256_public_key_problem(const std::string& path);

// Whole content of a secret file (e.g. a Redis password) without trailing whitespace.
std::optional<std::string> read_secret(const std::string& path, std::string& problem);

}  // namespace varco::conf::detail
