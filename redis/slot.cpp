#include "redis/slot.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace varco::redis {
namespace {

// CRC-16/XMODEM (polynomial 0x1021, initial 0), the variant Redis Cluster specifies.
constexpr std::array<std::uint16_t, 256> make_crc_table() {
  std::array<std::uint16_t, 256> table{};
  for (unsigned i = 0; i < 256; ++i) {
    auto crc = static_cast<std::uint16_t>(i << 8);
    for (int bit = 0; bit < 8; ++bit) {
      crc = static_cast<std::uint16_t>((crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    table[i] = crc;
  }
  return table;
}

constexpr auto crc_table = make_crc_table();

std::uint16_t crc16(std::string_view bytes) noexcept {
  std::uint16_t crc = 0;
  for (const char c : bytes) {
    const auto index = static_cast<std::uint8_t>((crc >> 8) ^ static_cast<std::uint8_t>(c));
    crc = static_cast<std::uint16_t>((crc << 8) ^ crc_table[index]);
  }
  return crc;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::uint16_t key_slot(std::string_view key) noexcept {
  const auto open = key.find('{');
  if (open != std::string_view::npos) {
    const auto close = key.find('}', open + 1);
    if (close != std::string_view::npos && close > open + 1) {
      key = key.substr(open + 1, close - open - 1);
    }
  }
  return static_cast<std::uint16_t>(crc16(key) % slot_count);
}

std::size_t key_position(const std::vector<std::string>& args) noexcept {
  if (args.size() < 2) return 0;
  const std::string_view name = args[0];
  if (equals_ignoring_case(name, "EVAL") || equals_ignoring_case(name, "EVALSHA")) {
    // EVAL script numkeys key…: the first key decides (varco's scripts touch one key).
    return args.size() > 3 && args[2] != "0" ? 3 : 0;
  }
  static constexpr std::array<std::string_view, 14> keyless{
      "PUBLISH", "MULTI", "EXEC",   "DISCARD", "PING",    "ECHO",   "INFO",
      "ROLE",    "AUTH",  "SELECT", "ASKING",  "CLUSTER", "SCRIPT", "SUBSCRIBE"};
  for (const auto k : keyless) {
    if (equals_ignoring_case(name, k)) return 0;
  }
  return 1;
}

}  // namespace varco::redis
