#include "session/session_id.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <cstdlib>
#include <memory>

namespace varco::session {
namespace {

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t random_bytes = 32;
constexpr std::size_t encoded_chars = 43;  // ceil(256 / 6)

std::string random_base64url() {
  std::array<unsigned char, random_bytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    std::abort();  // never fall back to weaker randomness
  }
  std::string out;
  out.reserve(encoded_chars);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  // 32 = 10 * 3 + 2: two bytes left, 16 bits in three characters.
  const unsigned v = (bytes[i] << 16) | (bytes[i + 1] << 8);
  out += alphabet[(v >> 18) & 63];
  out += alphabet[(v >> 12) & 63];
  out += alphabet[(v >> 6) & 63];
  return out;
}

// base64url alphabet position of each byte, -1 outside it (a table: checked on every request).
constexpr std::array<signed char, 256> make_alphabet_table() {
  std::array<signed char, 256> table{};
  for (auto& entry : table) entry = -1;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = static_cast<signed char>(c - 'A');
  for (int c = 'a'; c <= 'z'; ++c) table[c] = static_cast<signed char>(c - 'a' + 26);
  for (int c = '0'; c <= '9'; ++c) table[c] = static_cast<signed char>(c - '0' + 52);
  table['-'] = 62;
  table['_'] = 63;
  return table;
}
constexpr auto alphabet_table = make_alphabet_table();

int alphabet_index(char c) noexcept { return alphabet_table[static_cast<unsigned char>(c)]; }

}  // namespace

std::string new_session_id() { return random_base64url(); }

std::string new_csrf_token() { return random_base64url(); }

std::string session_key(std::string_view id) {
  // Runs on every request: the algorithm is fetched once and each thread reuses one context
  // (EVP_Digest with EVP_sha256() looks the provider up and allocates a context per call, which
  // profiled as the largest user-space cost of a proxied request).
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context{
      EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (sha256 == nullptr || !context || EVP_DigestInit_ex2(context.get(), sha256, nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), id.data(), id.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest.data(), &size) != 1) {
    std::abort();  // broken invariant: SHA-256 is always available in OpenSSL 3
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

bool looks_like_session_id(std::string_view id) noexcept {
  if (id.size() != encoded_chars) return false;
  for (char c : id) {
    if (alphabet_index(c) < 0) return false;
  }
  // The last character carries 4 bits; an encoder never sets the 2 padding bits.
  return (alphabet_index(id.back()) & 3) == 0;
}

}  // namespace varco::session
