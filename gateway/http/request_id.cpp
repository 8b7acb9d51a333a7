#include "gateway/http/request_id.hpp"

#include "base/hex.hpp"
#include "base/random.hpp"

#include <algorithm>
#include <cstdint>
#include <span>

namespace varco::gateway {

namespace {

// A random prefix per thread and a counter: unique ids without a CSPRNG call per request.
std::uint64_t random_prefix() {
  std::uint64_t v = 0;
  base::fill_random(std::span(reinterpret_cast<unsigned char*>(&v), sizeof v));
  return v;
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
  base::write_hex(std::span(out).first(16), state.prefix);
  base::write_hex(std::span(out).subspan(16), state.counter);
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
