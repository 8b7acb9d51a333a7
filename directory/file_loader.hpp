// Loads the read-only YAML directory (format: conf/examples/directory.yaml) into a snapshot.
//
// Start-up and reload only, never on the request path. Every problem in the file is collected,
// not just the first, so `varco check-config` can list them all as `file:line: what is wrong`.
#pragma once

#include "directory/snapshot.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace varco::directory {

// Same shape as varco::conf::config_error, so both print alike.
struct load_error {
  std::string file;
  int line = 0;  // 1-based; 0 when the problem is the whole file (unreadable, …)
  std::string message;

  std::string to_string() const;  // "file:line: message", or "file: message" when line is 0
};

struct load_result {
  std::shared_ptr<const snapshot> directory;  // null whenever errors is not empty
  std::vector<load_error> errors;

  bool ok() const { return errors.empty(); }
};

load_result load_directory_file(const std::string& path, std::uint64_t generation);

// `file_name` is only used in error messages.
load_result load_directory_text(std::string_view yaml, const std::string& file_name,
                                std::uint64_t generation);

// 16 letters or digits (a person's codice fiscale, or a foreign equivalent of that shape).
bool is_person_fiscal_number(std::string_view s);
// A plausible e-mail address (one @, a dotted domain, no spaces), at most 254 characters.
bool is_email_address(std::string_view s);
// 11 digits (partita IVA / codice fiscale numerico) or 16 letters or digits.
bool is_party_fiscal_code(std::string_view s);

}  // namespace varco::directory
