// ECDSA signatures in JOSE's form (RFC 7518 §3.4: r || s, each as wide as the curve's order) and
// in OpenSSL's (DER). Both return an empty string for input that is not a signature of that size.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace varco::jose {

std::string ecdsa_der_to_jws(std::string_view der, std::size_t coordinate);
std::string ecdsa_jws_to_der(std::string_view raw, std::size_t coordinate);

}  // namespace varco::jose
