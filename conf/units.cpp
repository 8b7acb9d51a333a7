#include "conf/units.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <utility>

namespace varco::conf {
namespace {

// Splits "123unit" into the number and the unit; nullopt if there are no leading digits or the
// number does not fit.
std::optional<std::pair<std::uint64_t, std::string_view>> split_number(std::string_view text) {
  std::uint64_t value = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc{} || ptr == first) return std::nullopt;
  return std::pair{value, text.substr(static_cast<std::size_t>(ptr - first))};
}

std::optional<std::uint64_t> scale(std::uint64_t value, std::uint64_t factor, std::uint64_t max) {
  if (value > max / factor) return std::nullopt;
  return value * factor;
}

}  // namespace

std::optional<duration> parse_duration(std::string_view text) {
  auto split = split_number(text);
  if (!split) return std::nullopt;
  auto [value, unit] = *split;
  if (unit.empty()) {
    // Only zero is unambiguous without a unit.
    if (value == 0 && text == "0") return duration{0};
    return std::nullopt;
  }
  static constexpr std::array<std::pair<std::string_view, std::uint64_t>, 5> units{{
      {"ms", 1},
      {"s", 1000},
      {"m", 60 * 1000},
      {"h", 60 * 60 * 1000},
      {"d", 24 * 60 * 60 * 1000},
  }};
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<duration::rep>::max());
  for (const auto& [name, factor] : units) {
    if (unit != name) continue;
    auto ms = scale(value, factor, max);
    if (!ms) return std::nullopt;
    return duration{static_cast<duration::rep>(*ms)};
  }
  return std::nullopt;
}

std::optional<std::uint64_t> parse_bytes(std::string_view text) {
  auto split = split_number(text);
  if (!split) return std::nullopt;
  auto [value, unit] = *split;
  static constexpr std::array<std::pair<std::string_view, std::uint64_t>, 5> units{{
      {"", 1},
      {"B", 1},
      {"KiB", 1024},
      {"MiB", 1024 * 1024},
      {"GiB", 1024 * 1024 * 1024},
  }};
  for (const auto& [name, factor] : units) {
    if (unit == name) return scale(value, factor, std::numeric_limits<std::uint64_t>::max());
  }
  return std::nullopt;
}

std::string format_duration(duration value) {
  static constexpr std::array<std::pair<std::string_view, duration::rep>, 4> units{{
      {"d", 24 * 60 * 60 * 1000},
      {"h", 60 * 60 * 1000},
      {"m", 60 * 1000},
      {"s", 1000},
  }};
  const auto ms = value.count();
  if (ms == 0) return "0";
  for (const auto& [name, factor] : units) {
    if (ms % factor == 0) return std::to_string(ms / factor).append(name);
  }
  return std::to_string(ms).append("ms");
}

}  // namespace varco::conf
