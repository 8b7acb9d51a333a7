// SHA-256 over a byte string. Thread-safe; each thread reuses one digest context.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace varco::base {

using sha256_digest = std::array<unsigned char, 32>;

sha256_digest sha256(std::string_view bytes);

// Lower-case hex of sha256(bytes): 64 characters.
std::string sha256_hex(std::string_view bytes);

}  // namespace varco::base
