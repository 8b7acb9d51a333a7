#include "gateway/http/hop_by_hop.hpp"

#include "gateway/http/field_name_set.hpp"

#include <array>
#include <string>
#include <vector>

namespace varco::gateway {

namespace {

namespace http = boost::beast::http;

constexpr field_name_set hop_by_hop_names{std::array<std::string_view, 9>{
    "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    "Proxy-Authenticate", "Proxy-Authorization"}};

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void collect_tokens(std::string_view value, std::vector<std::string>& out) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    const auto token = trim(value.substr(0, comma));
    if (!token.empty()) out.emplace_back(token);
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
  }
}

}  // namespace

bool is_hop_by_hop(std::string_view name) noexcept { return hop_by_hop_names.contains(name); }

void remove_hop_by_hop(http::fields& fields) {
  std::vector<std::string> named;
  for (const auto field : {http::field::connection, http::field::proxy_connection}) {
    for (auto [it, end] = fields.equal_range(field); it != end; ++it) {
      collect_tokens(it->value(), named);
    }
  }
  for (const auto& name : named) fields.erase(name);
  for (const auto name : hop_by_hop_names.names()) fields.erase(name);
}

}  // namespace varco::gateway
