// Hexadecimal text of bytes, and the value of one hex digit (for percent-decoding).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace varco::base {

// Lower-case, two characters a byte.
std::string hex(std::span<const unsigned char> bytes);
std::string hex(std::string_view bytes);

// 0..15 for 0-9, a-f and A-F; -1 for any other character.
int hex_digit_value(char c) noexcept;

}  // namespace varco::base
