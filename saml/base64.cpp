#include "saml/base64.hpp"

#include <array>
#include <cstdint>

namespace varco::saml {
namespace {

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::int8_t skip = -2;
constexpr std::int8_t invalid = -1;

constexpr std::array<std::int8_t, 256> decode_table = [] {
  std::array<std::int8_t, 256> table{};
  table.fill(invalid);
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  }
  for (char c : {' ', '\t', '\r', '\n'}) table[static_cast<unsigned char>(c)] = skip;
  return table;
}();

bool is_space(char c) { return decode_table[static_cast<unsigned char>(c)] == skip; }

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const auto n = (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16) |
                   (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                   static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += alphabet[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += rest == 2 ? alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

outcome<std::string> base64_decode(std::string_view text, std::size_t max_decoded) {
  // First pass: count the significant characters and check padding, so the size is known before
  // anything is allocated.
  std::size_t significant = 0;
  std::size_t padding = 0;
  for (char c : text) {
    const auto v = decode_table[static_cast<unsigned char>(c)];
    if (v == skip) continue;
    if (c == '=') {
      ++padding;
    } else if (v == invalid || padding > 0) {
      return failure{reason::bad_encoding, "not base64"};
    }
    ++significant;
  }
  if (significant % 4 != 0 || padding > 2) {
    return failure{reason::bad_encoding, "base64 length or padding is wrong"};
  }
  const std::size_t size = significant / 4 * 3 - padding;
  if (size > max_decoded) {
    return failure{reason::message_too_large,
                   std::to_string(size) + " bytes, at most " + std::to_string(max_decoded)};
  }
  std::string out;
  out.reserve(size);
  std::uint32_t accumulator = 0;
  int bits = 0;
  for (char c : text) {
    if (is_space(c) || c == '=') continue;
    accumulator = (accumulator << 6) |
                  static_cast<std::uint32_t>(decode_table[static_cast<unsigned char>(c)]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((accumulator >> bits) & 0xFF);
    }
  }
  // The bits left over by padding must be zero, or two encodings would decode the same.
  if ((accumulator & ((1u << bits) - 1)) != 0) {
    return failure{reason::bad_encoding, "base64 padding bits are not zero"};
  }
  return out;
}

}  // namespace varco::saml
