// What kind of route a request took: the access log's and the metrics' label.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace varco::gateway {

enum class route_class : std::uint8_t { product, portal, saml, oidc, static_files, health, other };
inline constexpr std::size_t route_class_count = 7;

constexpr std::string_view to_string(route_class rc) noexcept {
  switch (rc) {
    case route_class::product:
      return "product";
    case route_class::portal:
      return "portal";
    case route_class::saml:
      return "saml";
    case route_class::oidc:
      return "oidc";
    case route_class::static_files:
      return "static";
    case route_class::health:
      return "health";
    case route_class::other:
      return "other";
  }
  return "other";
}

}  // namespace varco::gateway
