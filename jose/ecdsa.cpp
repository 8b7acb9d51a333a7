#include "jose/ecdsa.hpp"

#include "base/openssl_handles.hpp"

namespace varco::jose {

std::string ecdsa_jws_to_der(std::string_view raw, std::size_t coordinate) {
  if (raw.size() != 2 * coordinate) return {};
  base::openssl_ptr<ECDSA_SIG> sig(ECDSA_SIG_new());
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  base::openssl_ptr<BIGNUM> r(BN_bin2bn(bytes, static_cast<int>(coordinate), nullptr));
  base::openssl_ptr<BIGNUM> s(BN_bin2bn(bytes + coordinate, static_cast<int>(coordinate), nullptr));
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return {};
  (void)r.release();  // hand-off: the signature owns r and s now
  (void)s.release();
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0) return {};
  base::openssl_ptr<unsigned char> owned(der);
  return std::string(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
}

std::string ecdsa_der_to_jws(std::string_view der, std::size_t coordinate) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  base::openssl_ptr<ECDSA_SIG> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return {};
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(2 * coordinate, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, out, static_cast<int>(coordinate)) < 0 ||
      BN_bn2binpad(s, out + coordinate, static_cast<int>(coordinate)) < 0) {
    return {};
  }
  return raw;
}

}  // namespace varco::jose
