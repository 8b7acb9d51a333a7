#include "gateway/routing/body_limits.hpp"

namespace varco::gateway {

std::size_t reserved_body_limit(std::string_view normalized_path) noexcept {
  for (const auto& route : capped_routes)
    if (route.path == normalized_path) return route.max_body_bytes;
  return 0;
}

}  // namespace varco::gateway
