// Hexadecimal text of bytes, and the value of one hex digit (for percent-decoding).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace varco::base {

// Lower-case, two characters a byte.
std::string hex(std::span<const unsigned char> bytes);
std::string hex(std::string_view bytes);

// `value` in lower-case hex without leading zeros ("0" for zero), appended to `out`.
void append_hex(std::string& out, std::uint64_t value);

// The low 4 * out.size() bits of `value` in lower-case hex, exactly out.size() digits
// (leading zeros kept): fixed-width ids.
void write_hex(std::span<char> out, std::uint64_t value) noexcept;

// 0..15 for 0-9, a-f and A-F; -1 for any other character.
int hex_digit_value(char c) noexcept;

}  // namespace varco::base
