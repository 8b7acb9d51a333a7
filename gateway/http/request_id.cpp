#include "gateway/http/request_id.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdint>
#include <random>

namespace varco::gateway {

namespace {

std::uint64_t random_prefix() noexcept {
  std::uint64_t v = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof v) != 1) {
    // Uniqueness, not secrecy, is what matters here: fall back to the OS entropy source.
    std::random_device rd;
    v = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }
  return v;
}

void write_hex(char* out, std::uint64_t v, int digits) {
  static constexpr char hex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) *out++ = hex[(v >> (4 * i)) & 0xf];
}

struct id_state {
  std::uint64_t prefix = random_prefix();
  std::uint32_t counter = 0;
};

}  // namespace

std::string new_request_id() {
  thread_local id_state state;
  if (++state.counter == 0) state.prefix = random_prefix();
  std::string out(24, '0');
  write_hex(out.data(), state.prefix, 16);
  write_hex(out.data() + 16, state.counter, 8);
  return out;
}

bool is_acceptable_request_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':' || c == '=';
  });
}

}  // namespace varco::gateway
