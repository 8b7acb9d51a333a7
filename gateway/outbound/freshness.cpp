#include "gateway/outbound/freshness.hpp"

#include <boost/assert.hpp>
#include <boost/beast/core/string.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>

namespace varco::gateway {
namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// delta-seconds, saturating: RFC 9111 §1.2.2 has a cache read an overlong value as very large.
std::optional<std::int64_t> delta_seconds(std::string_view text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    text = text.substr(1, text.size() - 2);
  if (text.empty()) return std::nullopt;
  constexpr std::int64_t saturated = 2147483648;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = std::min(saturated, value * 10 + (c - '0'));
  }
  return value;
}

}  // namespace

std::chrono::seconds freshness(std::string_view cache_control, std::chrono::seconds floor,
                               std::chrono::seconds cap) {
  BOOST_ASSERT(floor <= cap);
  std::optional<std::int64_t> max_age;
  bool uncacheable = false;
  while (!cache_control.empty()) {
    const auto comma = cache_control.find(',');
    const std::string_view directive = trim(cache_control.substr(0, comma));
    cache_control =
        comma == std::string_view::npos ? std::string_view{} : cache_control.substr(comma + 1);
    const auto equals = directive.find('=');
    const std::string_view name = trim(directive.substr(0, equals));
    if (boost::beast::iequals(name, "no-store") || boost::beast::iequals(name, "no-cache")) {
      uncacheable = true;
    } else if (boost::beast::iequals(name, "max-age") && equals != std::string_view::npos) {
      if (auto value = delta_seconds(trim(directive.substr(equals + 1))))
        max_age = std::min(max_age.value_or(*value), *value);
    }
  }
  if (uncacheable || !max_age) return floor;
  return std::clamp(std::chrono::seconds(*max_age), floor, cap);
}

}  // namespace varco::gateway
