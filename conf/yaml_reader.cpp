#include "conf/yaml_reader.hpp"

#include "conf/units.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace varco::conf::detail {
namespace {

int line_of(const YAML::Node& node) {
  if (!node.IsDefined()) return 0;
  return std::max(0, node.Mark().line + 1);  // yaml-cpp counts from 0, people from 1
}

std::string_view kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar";
    default:
      return "nothing";
  }
}

// Scalar text of a present node, or a report of what was found instead.
const std::string* scalar_of(diagnostics& diag, const located& at, std::string_view expected) {
  if (!at.present()) return nullptr;
  if (!at.node.IsScalar()) {
    diag.add(at.line, at.path,
             std::string("expected ").append(expected).append(", got ").append(kind_of(at.node)));
    return nullptr;
  }
  return &at.node.Scalar();
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

void diagnostics::add(int line, std::string_view path, std::string_view message) {
  std::string text;
  if (!path.empty()) text.append(path).append(": ");
  text.append(message);
  errors_.push_back(config_error{file_, line, std::move(text)});
}

bool located::present() const { return node.IsDefined() && !node.IsNull(); }

std::string in_quotes(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x",
                    static_cast<unsigned>(static_cast<unsigned char>(c)));
      out.append(buf);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string join_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent).append(".").append(key);
}

std::string index_path(std::string_view parent, std::size_t index) {
  return std::string(parent).append("[").append(std::to_string(index)).append("]");
}

std::vector<located> sequence_items(diagnostics& diag, const located& at) {
  std::vector<located> items;
  if (!at.present()) return items;
  if (!at.node.IsSequence()) {
    diag.add(at.line, at.path, std::string("expected a list, got ").append(kind_of(at.node)));
    return items;
  }
  std::size_t index = 0;
  for (const auto& item : at.node) {
    int line = line_of(item);
    items.push_back(located{item, index_path(at.path, index++), line != 0 ? line : at.line});
  }
  return items;
}

bool read_string(diagnostics& diag, const located& at, std::string& out) {
  const std::string* text = scalar_of(diag, at, "a string");
  if (text == nullptr) return false;
  out = *text;
  return true;
}

bool read_bool(diagnostics& diag, const located& at, bool& out) {
  const std::string* text = scalar_of(diag, at, "true or false");
  if (text == nullptr) return false;
  if (*text == "true") {
    out = true;
  } else if (*text == "false") {
    out = false;
  } else {
    diag.add(at.line, at.path, "expected true or false, got " + in_quotes(*text));
    return false;
  }
  return true;
}

bool read_integer(diagnostics& diag, const located& at, std::int64_t& out, std::int64_t min,
                  std::int64_t max) {
  const std::string* text = scalar_of(diag, at, "an integer");
  if (text == nullptr) return false;
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec == std::errc::result_out_of_range ||
      (ec == std::errc{} && ptr == text->data() + text->size() && (value < min || value > max))) {
    diag.add(at.line, at.path,
             *text + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
    return false;
  }
  if (ec != std::errc{} || ptr != text->data() + text->size()) {
    diag.add(at.line, at.path, "expected an integer, got " + in_quotes(*text));
    return false;
  }
  out = value;
  return true;
}

bool read_duration(diagnostics& diag, const located& at, duration& out, bool allow_zero) {
  const std::string* text = scalar_of(diag, at, "a duration");
  if (text == nullptr) return false;
  auto value = parse_duration(*text);
  if (!value) {
    diag.add(at.line, at.path,
             in_quotes(*text) + " is not a duration (e.g. 250ms, 10s, 15m, 8h, 1d)");
    return false;
  }
  if (!allow_zero && value->count() == 0) {
    diag.add(at.line, at.path, "must be greater than 0");
    return false;
  }
  out = *value;
  return true;
}

bool read_bytes(diagnostics& diag, const located& at, std::uint64_t& out, std::uint64_t min) {
  const std::string* text = scalar_of(diag, at, "a size");
  if (text == nullptr) return false;
  auto value = parse_bytes(*text);
  if (!value) {
    diag.add(at.line, at.path, in_quotes(*text) + " is not a size (e.g. 512, 16KiB, 10MiB, 1GiB)");
    return false;
  }
  if (*value < min) {
    diag.add(at.line, at.path,
             min == 1 ? std::string("must be greater than 0")
                      : "must be at least " + std::to_string(min) + " bytes");
    return false;
  }
  out = *value;
  return true;
}

bool read_string_list(diagnostics& diag, const located& at, std::vector<std::string>& out) {
  if (!at.present()) return false;
  auto items = sequence_items(diag, at);
  if (!at.node.IsSequence()) return false;
  std::vector<std::string> values;
  bool ok = true;
  for (const auto& item : items) {
    std::string value;
    if (read_string(diag, item, value)) {
      values.push_back(std::move(value));
    } else {
      if (!item.present()) diag.add(item.line, item.path, "expected a string, got nothing");
      ok = false;
    }
  }
  if (ok) out = std::move(values);
  return ok;
}

map_reader::map_reader(diagnostics& diag, const located& at,
                       std::initializer_list<std::string_view> known)
    : diag_(diag), at_(at), known_(known) {
  if (!at_.present()) return;
  if (!at_.node.IsMap()) {
    diag_.add(at_.line, at_.path,
              std::string("expected a mapping, got ").append(kind_of(at_.node)));
    return;
  }
  is_map_ = true;
  std::vector<std::string> seen;
  for (const auto& entry : at_.node) {
    const YAML::Node& key = entry.first;
    int line = line_of(key);
    if (!key.IsScalar()) {
      diag_.add(line, at_.path, "keys must be plain names");
      continue;
    }
    const std::string& name = key.Scalar();
    std::string path = join_path(at_.path, name);
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      diag_.add(line, path, "duplicate key");
      continue;
    }
    seen.push_back(name);
    if (std::find(known_.begin(), known_.end(), name) != known_.end()) continue;
    std::string message = "unknown key";
    std::size_t best = 3;  // suggest only close spellings
    std::string_view suggestion;
    for (auto candidate : known_) {
      std::size_t distance = edit_distance(name, candidate);
      if (distance < best) {
        best = distance;
        suggestion = candidate;
      }
    }
    if (!suggestion.empty()) message.append(" (did you mean ").append(suggestion).append("?)");
    diag_.add(line, path, message);
  }
}

located map_reader::at(std::string_view key) const {
  std::string path = join_path(at_.path, key);
  if (!is_map_) return located{YAML::Node(), std::move(path), at_.line};
  // The key's line, not the value's: a block mapping's own mark is its first child's line, but
  // "sessions.redis: expected …" or "jwt.kid: is required" should point at the key.
  for (const auto& entry : at_.node) {
    if (entry.first.IsScalar() && entry.first.Scalar() == key) {
      int line = line_of(entry.first);
      return located{entry.second, std::move(path), line != 0 ? line : at_.line};
    }
  }
  return located{YAML::Node(), std::move(path), at_.line};
}

bool map_reader::required_string(std::string_view key, std::string& out) {
  located value = at(key);
  if (!value.present()) {
    diag_.add(value.line, value.path, "is required");
    return false;
  }
  std::string text;
  if (!read_string(diag_, value, text)) return false;
  if (text.empty()) {
    diag_.add(value.line, value.path, "must not be empty");
    return false;
  }
  out = std::move(text);
  return true;
}

}  // namespace varco::conf::detail
