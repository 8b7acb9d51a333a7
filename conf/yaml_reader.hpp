// Helpers that read YAML nodes into typed fields while remembering where each value came from,
// so every problem is reported as "file:line: path: what is wrong" and reading goes on after it.
// Internal to the loader (namespace detail); single-threaded, one instance per load.
#pragma once

#include "conf/config.hpp"
#include "conf/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace varco::conf::detail {

// Collects every error of one load.
class diagnostics {
 public:
  explicit diagnostics(std::string file) : file_(std::move(file)) {}

  // `path` names the setting ("products[0].id"); empty for file-level problems.
  void add(int line, std::string_view path, std::string_view message);
  bool empty() const { return errors_.empty(); }
  std::vector<config_error> take() { return std::move(errors_); }

 private:
  std::string file_;
  std::vector<config_error> errors_;
};

// A node with the dotted path that names it in messages. `node` may be undefined (the key is
// absent); `line` is then the line of the enclosing mapping, so a "missing" error points near it.
// Copy-construct only: YAML::Node assignment rebinds the node *inside the parsed tree*.
struct located {
  YAML::Node node;
  std::string path;
  int line = 0;

  bool present() const;  // defined and not null: `key:` with no value counts as absent
};

std::string in_quotes(std::string_view text);  // "text" with control characters escaped
std::string join_path(std::string_view parent, std::string_view key);
std::string index_path(std::string_view parent, std::size_t index);

// The elements of a sequence (reports anything that is not one; absent or null → empty).
std::vector<located> sequence_items(diagnostics& diag, const located& at);

// Scalar readers: return false (and report) when the value is present but wrong, leaving `out`
// untouched; return false silently when absent.
bool read_string(diagnostics& diag, const located& at, std::string& out);
bool read_bool(diagnostics& diag, const located& at, bool& out);
bool read_integer(diagnostics& diag, const located& at, std::int64_t& out, std::int64_t min,
                  std::int64_t max);
bool read_duration(diagnostics& diag, const located& at, duration& out, bool allow_zero);
bool read_bytes(diagnostics& diag, const located& at, std::uint64_t& out, std::uint64_t min);
bool read_string_list(diagnostics& diag, const located& at, std::vector<std::string>& out);

template <class Int>
constexpr std::int64_t max_of() {
  constexpr auto limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  return static_cast<std::int64_t>(
      std::min<std::uint64_t>(static_cast<std::uint64_t>(std::numeric_limits<Int>::max()), limit));
}

// One YAML mapping with a fixed set of known keys. Construction reports a node that is not a
// mapping, duplicate keys and every unknown key (typo protection, with a suggestion when a known
// key is close). An absent or null node reads as an empty mapping, so fields keep their defaults.
class map_reader {
 public:
  map_reader(diagnostics& diag, const located& at, std::initializer_list<std::string_view> known);

  located at(std::string_view key) const;  // key must be one of `known`
  bool has(std::string_view key) const { return at(key).present(); }
  const std::string& path() const { return at_.path; }
  int line() const { return at_.line; }
  diagnostics& diag() const { return diag_; }

  bool string(std::string_view key, std::string& out) { return read_string(diag_, at(key), out); }
  // Reports "is required" when absent and "must not be empty" when "".
  bool required_string(std::string_view key, std::string& out);
  bool boolean(std::string_view key, bool& out) { return read_bool(diag_, at(key), out); }
  template <class Int>
  bool integer(std::string_view key, Int& out, std::int64_t min = std::numeric_limits<Int>::min(),
               std::int64_t max = max_of<Int>()) {
    std::int64_t value = 0;
    if (!read_integer(diag_, at(key), value, min, max)) return false;
    out = static_cast<Int>(value);
    return true;
  }
  // Durations must be > 0 unless allow_zero.
  bool positive_duration(std::string_view key, duration& out) {
    return read_duration(diag_, at(key), out, false);
  }
  bool duration_or_zero(std::string_view key, duration& out) {
    return read_duration(diag_, at(key), out, true);
  }
  template <class Unsigned>
  bool bytes(std::string_view key, Unsigned& out, std::uint64_t min = 1) {
    std::uint64_t value = 0;
    if (!read_bytes(diag_, at(key), value, min)) return false;
    out = static_cast<Unsigned>(value);
    return true;
  }
  bool string_list(std::string_view key, std::vector<std::string>& out) {
    return read_string_list(diag_, at(key), out);
  }
  std::vector<located> items(std::string_view key) { return sequence_items(diag_, at(key)); }

 private:
  diagnostics& diag_;
  located at_;
  bool is_map_ = false;
  std::vector<std::string_view> known_;
};

}  // namespace varco::conf::detail
