// SHA-256 over a byte string (OpenSSL one-shot digest).
#pragma once

#include <array>
#include <string_view>

namespace varco::policies {

using sha256_digest = std::array<unsigned char, 32>;

sha256_digest sha256(std::string_view bytes);

}  // namespace varco::policies
