#include "base/base64.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace varco::base {
namespace {

constexpr std::string_view standard_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view url_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::int8_t skip = -2;
constexpr std::int8_t invalid = -1;
using decode_table = std::array<std::int8_t, 256>;

// The value of each byte in `alphabet`; `skipped` bytes are passed over, all others invalid.
constexpr decode_table make_table(std::string_view alphabet, std::string_view skipped) {
  decode_table table{};
  table.fill(invalid);
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  }
  for (const char c : skipped) table[static_cast<unsigned char>(c)] = skip;
  return table;
}

// Padding is checked before decoding, so the decoding pass passes over it like white space.
constexpr decode_table standard_table = make_table(standard_alphabet, " \t\r\n=");
constexpr decode_table url_table = make_table(url_alphabet, "");
static_assert(std::ranges::all_of(url_table, [](std::int8_t v) { return v >= invalid; }),
              "base64url_values promises -1 outside the alphabet");

std::uint32_t byte_at(std::string_view bytes, std::size_t i) {
  return static_cast<unsigned char>(bytes[i]);
}

std::string encode(std::string_view bytes, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n =
        byte_at(bytes, i) << 16 | byte_at(bytes, i + 1) << 8 | byte_at(bytes, i + 2);
    out += alphabet[n >> 18 & 63];
    out += alphabet[n >> 12 & 63];
    out += alphabet[n >> 6 & 63];
    out += alphabet[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 0) return out;
  std::uint32_t n = byte_at(bytes, i) << 16;
  if (rest == 2) n |= byte_at(bytes, i + 1) << 8;
  out += alphabet[n >> 18 & 63];
  out += alphabet[n >> 12 & 63];
  if (rest == 2) out += alphabet[n >> 6 & 63];
  if (pad) out.append(3 - rest, '=');
  return out;
}

struct decoded {
  std::string bytes;
  bool padding_bits_set = false;
};

// Decodes every character that `table` gives a value, skips the skipped ones; nullopt at the
// first invalid one. SAML messages are kilobytes of base64: whole groups of four valid characters
// are decoded at once into the sized buffer (the byte-at-a-time loop cost ~20 instructions a
// character); a group with anything else in it goes through the same steps one character at a
// time.
std::optional<decoded> decode(std::string_view text, const decode_table& table,
                              std::size_t expected_size) {
  decoded out;
  out.bytes.resize(std::max(expected_size, text.size() / 4 * 3 + 3));
  char* const begin = out.bytes.data();
  char* write = begin;
  std::uint32_t accumulator = 0;
  int bits = 0;
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    if (bits == 0 && i + 4 <= size) {
      const std::int8_t a = table[static_cast<unsigned char>(text[i])];
      const std::int8_t b = table[static_cast<unsigned char>(text[i + 1])];
      const std::int8_t c = table[static_cast<unsigned char>(text[i + 2])];
      const std::int8_t d = table[static_cast<unsigned char>(text[i + 3])];
      if ((a | b | c | d) >= 0) {  // four values 0-63: neither skip nor invalid
        const std::uint32_t group =
            static_cast<std::uint32_t>(a) << 18 | static_cast<std::uint32_t>(b) << 12 |
            static_cast<std::uint32_t>(c) << 6 | static_cast<std::uint32_t>(d);
        write[0] = static_cast<char>(group >> 16 & 0xff);
        write[1] = static_cast<char>(group >> 8 & 0xff);
        write[2] = static_cast<char>(group & 0xff);
        write += 3;
        i += 4;
        continue;
      }
    }
    const std::int8_t v = table[static_cast<unsigned char>(text[i++])];
    if (v == skip) continue;
    if (v == invalid) return std::nullopt;
    accumulator = accumulator << 6 | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *write++ = static_cast<char>(accumulator >> bits & 0xff);
    }
  }
  out.bytes.resize(static_cast<std::size_t>(write - begin));
  out.padding_bits_set = (accumulator & ((1u << bits) - 1)) != 0;
  return out;
}

}  // namespace

std::string base64_encode(std::string_view bytes) { return encode(bytes, standard_alphabet, true); }

std::string base64url_encode(std::string_view bytes) { return encode(bytes, url_alphabet, false); }

boost::system::result<std::string, base64_error> base64_decode(std::string_view text,
                                                               std::size_t max_decoded) {
  using kind = base64_error::kind;
  // First pass: count the significant characters and check padding, so the size is known before
  // anything is allocated.
  std::size_t significant = 0;
  std::size_t padding = 0;
  for (const char c : text) {
    const std::int8_t v = standard_table[static_cast<unsigned char>(c)];
    if (v >= 0 && padding == 0) {  // the common case first
      ++significant;
    } else if (c == '=') {
      ++padding;
      ++significant;
    } else if (v != skip) {
      return base64_error{kind::not_base64};
    }
  }
  if (significant % 4 != 0 || padding > 2) return base64_error{kind::bad_length_or_padding};
  const std::size_t size = significant / 4 * 3 - padding;
  if (size > max_decoded) return base64_error{kind::too_large, size};
  auto out = decode(text, standard_table, size);
  if (!out) return base64_error{kind::not_base64};
  if (out->padding_bits_set) return base64_error{kind::padding_bits_set};
  return std::move(out->bytes);
}

std::optional<std::string> base64url_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  auto out = decode(text, url_table, text.size() * 3 / 4);
  if (!out) return std::nullopt;
  return std::move(out->bytes);
}

namespace detail {
const std::array<std::int8_t, 256> base64url_values = url_table;
}  // namespace detail

}  // namespace varco::base
