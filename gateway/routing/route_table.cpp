#include "gateway/routing/route_table.hpp"

#include "gateway/routing/reserved_routes.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace varco::gateway {

namespace {

// Prefixes match on segment boundaries: "" matches everything, "/a" matches "/a" and "/a/…".
bool prefix_matches(std::string_view prefix, std::string_view path) noexcept {
  if (!path.starts_with(prefix)) return false;
  return path.size() == prefix.size() || prefix.empty() || path[prefix.size()] == '/';
}

std::string trim_prefix(std::string_view prefix) {
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  return std::string(prefix);
}

}  // namespace

std::string canonical_host(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    host = close == std::string_view::npos ? host.substr(1) : host.substr(1, close - 1);
  } else {
    // A single ':' separates the port; several mean an unbracketed IPv6 literal (config only).
    const auto colon = host.find(':');
    if (colon != std::string_view::npos && host.find(':', colon + 1) == std::string_view::npos) {
      host = host.substr(0, colon);
    }
    if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  }
  std::string out(host);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool route_table::add(const std::string& host, std::string prefix, const conf::product& product,
                      const conf::environment* pinned, std::vector<std::string>& problems) {
  const auto where = "product " + product.id + (pinned ? " environment " + pinned->id : "");
  if (!prefix.empty() && (prefix.front() != '/' || prefix.find("//") != std::string::npos)) {
    problems.push_back(where + ": path prefix '" + prefix + "' is not a normalised path");
    return false;
  }
  if (!prefix.empty() && is_reserved_path(prefix)) {
    problems.push_back(where + ": path prefix '" + prefix + "' is reserved for varco");
    return false;
  }
  if (host.empty() && prefix.empty()) {
    problems.push_back(where + ": a route needs a host or a path prefix");
    return false;
  }
  auto& list = host.empty() ? any_host_ : by_host_[host];
  for (const auto& r : list) {
    if (r.prefix == prefix) {
      std::string message = where;
      message.append(": route ").append(host.empty() ? "*" : host).append(prefix);
      message.append(" is already taken by product ").append(r.product->id);
      if (r.pinned) message.append(" environment ").append(r.pinned->id);
      problems.push_back(std::move(message));
      return false;
    }
  }
  list.push_back(route{std::move(prefix), &product, pinned});
  ++count_;
  return true;
}

route_table route_table::compile(const conf::config& config, std::vector<std::string>& problems) {
  route_table table;
  for (const auto& product : config.products) {
    table.add(canonical_host(product.host), trim_prefix(product.path_prefix), product, nullptr,
              problems);
    for (const auto& env : product.environments) {
      if (env.host.empty() && env.path_prefix.empty()) continue;
      auto host = canonical_host(env.host.empty() ? product.host : env.host);
      table.add(host, trim_prefix(env.path_prefix), product, &env, problems);
    }
  }
  const auto longest_first = [](const route& a, const route& b) {
    return a.prefix.size() > b.prefix.size();
  };
  std::stable_sort(table.any_host_.begin(), table.any_host_.end(), longest_first);
  for (auto& [host, list] : table.by_host_) {
    std::stable_sort(list.begin(), list.end(), longest_first);
  }
  return table;
}

std::optional<route_match> route_table::match_in(const route_list& routes, std::string_view path) {
  for (const auto& r : routes) {
    if (!prefix_matches(r.prefix, path)) continue;
    auto rest = path.substr(r.prefix.size());
    return route_match{r.product, r.pinned, r.prefix, rest.empty() ? "/" : std::string(rest)};
  }
  return std::nullopt;
}

std::optional<route_match> route_table::match(std::string_view host,
                                              std::string_view normalized_path) const {
  if (is_reserved_path(normalized_path)) return std::nullopt;
  if (!by_host_.empty()) {
    const auto it = by_host_.find(canonical_host(host));
    if (it != by_host_.end()) {
      if (auto m = match_in(it->second, normalized_path)) return m;
    }
  }
  return match_in(any_host_, normalized_path);
}

}  // namespace varco::gateway
