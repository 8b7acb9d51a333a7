// Routes from (host, normalised path) to a product, and optionally to a pinned environment.
//
// Compiled once per config snapshot; immutable afterwards, so any number of workers may call
// match() concurrently. The table holds pointers into the conf::config it was compiled from: keep
// that config alive (e.g. in the same snapshot object) for as long as the table is used.
#pragma once

#include "conf/config.hpp"
#include "gateway/routing/reserved_routes.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace varco::gateway {

// Lower-case host without port, brackets or trailing dot: "Example.IT:8443" → "example.it",
// "[::1]:8080" → "::1". Used for both the Host header and the configured hosts.
std::string canonical_host(std::string_view host);

struct route_match {
  const conf::product* product = nullptr;
  const conf::environment* pinned_environment = nullptr;  // null: the session's choice decides
  std::string_view prefix;      // the matched path prefix ("" for a host-only route)
  std::string path_in_product;  // the path after the prefix, at least "/"
};

class route_table {
 public:
  route_table() = default;

  // Every product contributes (product.host, product.path_prefix); every environment with its own
  // host and/or path_prefix contributes a route pinned to it, taking the product's host when it
  // names only a path prefix. Conflicting or reserved routes are reported in `problems` (one
  // human-readable line each) and left out; the first of two identical routes wins.
  static route_table compile(const conf::config& config, std::vector<std::string>& problems);

  // Host-specific routes beat host-less ones; among those, the longest prefix on a segment
  // boundary wins ("/pagopa" matches "/pagopa" and "/pagopa/x", never "/pagopax"). Reserved
  // paths never match. Allocation: only the returned path_in_product.
  std::optional<route_match> match(std::string_view host, std::string_view normalized_path) const;

  std::size_t size() const noexcept { return count_; }

 private:
  struct route {
    std::string prefix;  // "" or "/x/y" (no trailing slash)
    const conf::product* product;
    const conf::environment* pinned;
  };
  // Sorted by prefix length, longest first, so the first hit is the longest match.
  using route_list = std::vector<route>;

  static std::optional<route_match> match_in(const route_list& routes, std::string_view path);
  bool add(const std::string& host, std::string prefix, const conf::product& product,
           const conf::environment* pinned, std::vector<std::string>& problems);

  std::unordered_map<std::string, route_list> by_host_;
  route_list any_host_;
  std::size_t count_ = 0;
};

}  // namespace varco::gateway
