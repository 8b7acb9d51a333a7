#include "gateway/http/forwarded.hpp"

#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include <algorithm>
#include <optional>

namespace varco::gateway {

namespace {

namespace ip = boost::asio::ip;

ip::address unmapped(const ip::address& a) noexcept {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, a.to_v6());
  }
  return a;
}

bool in_network(const ip::address& a, const conf::cidr& net) noexcept {
  if (const auto* v4 = std::get_if<ip::network_v4>(&net)) {
    if (!a.is_v4()) return false;
    const auto mask = v4->netmask().to_uint();
    return (a.to_v4().to_uint() & mask) == (v4->network().to_uint() & mask);
  }
  const auto& v6 = std::get<ip::network_v6>(net);
  if (!a.is_v6()) return false;
  const auto bytes = a.to_v6().to_bytes();
  const auto net_bytes = v6.network().to_bytes();
  auto bits = v6.prefix_length();
  for (std::size_t i = 0; i < bytes.size() && bits > 0; ++i, bits = bits > 8 ? bits - 8 : 0) {
    const auto mask = static_cast<unsigned char>(bits >= 8 ? 0xff : 0xff << (8 - bits));
    if ((bytes[i] & mask) != (net_bytes[i] & mask)) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool is_trusted(const ip::address& peer, std::span<const conf::cidr> trusted) noexcept {
  const auto a = unmapped(peer);
  return std::any_of(trusted.begin(), trusted.end(),
                     [&](const conf::cidr& net) { return in_network(a, net); });
}

std::string client_address(std::string_view x_forwarded_for, const ip::address& peer,
                           std::string_view peer_text, std::span<const conf::cidr> trusted) {
  if (!is_trusted(peer, trusted)) return std::string(peer_text);
  std::optional<ip::address> last_trusted;  // the furthest hop vouched for; none: the peer
  std::string_view rest = x_forwarded_for;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const std::string_view item =
        trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
    boost::system::error_code ec;
    const auto address = unmapped(ip::make_address(item, ec));
    if (ec) break;
    try {
      if (!is_trusted(address, trusted)) return address.to_string();
    } catch (const std::exception&) {
      break;  // to_string cannot fail on a parsed address; never let it escape a handler anyway
    }
    last_trusted = address;
  }
  if (!last_trusted) return std::string(peer_text);
  try {
    return last_trusted->to_string();
  } catch (const std::exception&) {
    return std::string(peer_text);
  }
}

forwarded_out compute_forwarded(const ip::address& peer, std::span<const conf::cidr> trusted,
                                const forwarded_in& client, std::string_view scheme,
                                std::string_view host) {
  std::string peer_text;
  try {
    peer_text =
        client.peer_text.empty() ? unmapped(peer).to_string() : std::string(client.peer_text);
  } catch (const std::exception&) {
    // inet_ntop cannot fail for a valid address object; never let it escape a handler anyway.
    peer_text = "unknown";
  }
  forwarded_out out;
  if (!is_trusted(peer, trusted)) {
    out.x_forwarded_for = std::move(peer_text);
    out.x_forwarded_proto = std::string(scheme);
    out.x_forwarded_host = std::string(host);
    return out;
  }
  const auto chain = trim(client.x_forwarded_for);
  if (!chain.empty()) {
    out.x_forwarded_for.reserve(chain.size() + 2 + peer_text.size());
    out.x_forwarded_for.append(chain).append(", ");
  }
  out.x_forwarded_for.append(peer_text);
  const auto proto = trim(client.x_forwarded_proto);
  out.x_forwarded_proto = std::string(proto == "http" || proto == "https" ? proto : scheme);
  const auto fhost = trim(client.x_forwarded_host);
  out.x_forwarded_host = std::string(fhost.empty() ? host : fhost);
  return out;
}

}  // namespace varco::gateway
