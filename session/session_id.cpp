#include "session/session_id.hpp"

#include "base/base64.hpp"
#include "base/random.hpp"
#include "base/sha256.hpp"

#include <array>

namespace varco::session {
namespace {

constexpr std::size_t random_bytes = 32;
constexpr std::size_t encoded_chars = 43;  // ceil(256 / 6)

std::string random_base64url() {
  std::array<unsigned char, random_bytes> bytes{};
  base::fill_random(bytes);
  return base::base64url_encode(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace

std::string new_session_id() { return random_base64url(); }

std::string new_csrf_token() { return random_base64url(); }

std::string session_key(std::string_view id) { return base::sha256_hex(id); }

bool looks_like_session_id(std::string_view id) noexcept {
  if (id.size() != encoded_chars) return false;
  for (char c : id) {
    if (base::base64url_value(c) < 0) return false;
  }
  // The last character carries 4 bits; an encoder never sets the 2 padding bits.
  return (base::base64url_value(id.back()) & 3) == 0;
}

}  // namespace varco::session
