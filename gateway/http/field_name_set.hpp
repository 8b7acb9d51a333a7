// A fixed set of header field names, matched ignoring ASCII case. Every request field is checked
// against a few such sets on its way upstream, and nearly all of them match none: a mask of the
// set's name lengths turns most of those misses away before any character is compared.
#pragma once

#include <boost/beast/core/string.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace varco::gateway {

template <std::size_t N>
class field_name_set {
 public:
  // Names of 1 to 63 characters (header names are short; a longer one could not be masked).
  consteval explicit field_name_set(std::array<std::string_view, N> names) : names_(names) {
    for (const auto name : names_) {
      if (name.empty() || name.size() >= 64) throw "field_name_set: a name of 1 to 63 characters";
      lengths_ |= std::uint64_t{1} << name.size();
    }
  }

  bool contains(std::string_view name) const noexcept {
    if (name.size() >= 64 || ((lengths_ >> name.size()) & 1U) == 0) return false;
    for (const auto candidate : names_) {
      if (candidate.size() == name.size() && boost::beast::iequals(candidate, name)) return true;
    }
    return false;
  }

  const std::array<std::string_view, N>& names() const noexcept { return names_; }

 private:
  std::array<std::string_view, N> names_;
  std::uint64_t lengths_ = 0;
};

}  // namespace varco::gateway
