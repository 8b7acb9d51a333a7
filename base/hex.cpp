#include "base/hex.hpp"

namespace varco::base {

namespace {
constexpr char digits[] = "0123456789abcdef";
}  // namespace

std::string hex(std::span<const unsigned char> bytes) {
  std::string out(bytes.size() * 2, '\0');
  char* next = out.data();
  for (const unsigned char byte : bytes) {
    *next++ = digits[byte >> 4];
    *next++ = digits[byte & 0x0f];
  }
  return out;
}

std::string hex(std::string_view bytes) {
  return hex(std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(bytes.data()),
                                            bytes.size()));
}

void append_hex(std::string& out, std::uint64_t value) {
  int shift = 60;
  while (shift > 0 && (value >> shift) == 0) shift -= 4;
  for (; shift >= 0; shift -= 4) out.push_back(digits[(value >> shift) & 0xf]);
}

void write_hex(std::span<char> out, std::uint64_t value) noexcept {
  for (std::size_t i = out.size(); i-- > 0;) {
    out[i] = digits[value & 0xf];
    value >>= 4;
  }
}

int hex_digit_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace varco::base
