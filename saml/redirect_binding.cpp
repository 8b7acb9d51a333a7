#include "saml/redirect_binding.hpp"

#include "base/base64.hpp"
#include "base/hex.hpp"
#include "base/openssl_handles.hpp"
#include "base/percent_decoding.hpp"
#include "saml/xml_names.hpp"

#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <optional>
#include <zlib.h>

namespace varco::saml {
namespace {

// A z_stream is a struct, not a pointer: this owns its internal state the way a unique_ptr owns a
// handle, ending it exactly once.
class zlib_stream {
 public:
  enum class direction { deflate, inflate };

  explicit zlib_stream(direction d) : direction_(d) {
    // windowBits -15: raw DEFLATE, no zlib header or checksum (SAML Bindings §3.4.4.1).
    const int rc = d == direction::deflate ? deflateInit2(&stream_, Z_DEFAULT_COMPRESSION,
                                                          Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY)
                                           : inflateInit2(&stream_, -15);
    ready_ = rc == Z_OK;
  }
  ~zlib_stream() {
    if (!ready_) return;
    if (direction_ == direction::deflate) {
      deflateEnd(&stream_);
    } else {
      inflateEnd(&stream_);
    }
  }
  zlib_stream(const zlib_stream&) = delete;
  zlib_stream& operator=(const zlib_stream&) = delete;

  bool ready() const noexcept { return ready_; }
  z_stream* get() noexcept { return &stream_; }

 private:
  direction direction_;
  z_stream stream_{};
  bool ready_ = false;
};

Bytef* bytes_of(std::string_view s) {
  return reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));  // zlib never writes next_in
}

// The signature algorithms accepted on the Redirect binding.
struct sig_alg {
  std::string_view uri;
  const EVP_MD* (*digest)();
  int key_type;
};

const std::array<sig_alg, 6>& sig_algs() {
  static const std::array<sig_alg, 6> algs = {{
      {algorithm::rsa_sha256, EVP_sha256, EVP_PKEY_RSA},
      {algorithm::rsa_sha384, EVP_sha384, EVP_PKEY_RSA},
      {algorithm::rsa_sha512, EVP_sha512, EVP_PKEY_RSA},
      {algorithm::ecdsa_sha256, EVP_sha256, EVP_PKEY_EC},
      {algorithm::ecdsa_sha384, EVP_sha384, EVP_PKEY_EC},
      {algorithm::ecdsa_sha512, EVP_sha512, EVP_PKEY_EC},
  }};
  return algs;
}

const sig_alg* find_sig_alg(std::string_view uri) {
  for (const auto& alg : sig_algs()) {
    if (alg.uri == uri) return &alg;
  }
  return nullptr;
}

// XML Signature's ECDSA value is r||s, each half the same length; OpenSSL wants DER.
std::optional<std::string> ecdsa_raw_to_der(std::string_view raw) {
  if (raw.empty() || raw.size() % 2 != 0) return std::nullopt;
  const auto* data = reinterpret_cast<const unsigned char*>(raw.data());
  const int half = static_cast<int>(raw.size() / 2);
  base::openssl_ptr<BIGNUM> r(BN_bin2bn(data, half, nullptr));
  base::openssl_ptr<BIGNUM> s(BN_bin2bn(data + half, half, nullptr));
  base::openssl_ptr<ECDSA_SIG> sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return std::nullopt;
  (void)r.release();  // hand-off: ECDSA_SIG_set0 took both numbers
  (void)s.release();
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig.get(), &der);
  base::openssl_ptr<unsigned char> owned(der);
  if (size <= 0 || !owned) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(owned.get()), static_cast<std::size_t>(size));
}

bool verify_with_key(EVP_PKEY* key, const sig_alg& alg, std::string_view signed_text,
                     std::string_view signature) {
  if (key == nullptr || EVP_PKEY_get_base_id(key) != alg.key_type) return false;
  std::string der_signature;
  if (alg.key_type == EVP_PKEY_EC) {
    auto der = ecdsa_raw_to_der(signature);
    if (!der) return false;
    der_signature = std::move(*der);
    signature = der_signature;
  }
  base::openssl_ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, alg.digest(), nullptr, key) == 1 &&
         EVP_DigestVerify(
             ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
             reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size()) == 1;
}

outcome<std::string> rsa_sha256_sign(EVP_PKEY* key, std::string_view text) {
  base::openssl_ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  std::size_t size = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(text.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, data, text.size()) != 1) {
    return failure{reason::internal_error, "cannot start an rsa-sha256 signature"};
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, data,
                     text.size()) != 1) {
    return failure{reason::internal_error, "rsa-sha256 signature failed"};
  }
  signature.resize(size);
  return signature;
}

// The parameters of a received query, each still encoded exactly as it arrived.
struct raw_parameters {
  std::string_view param;  // SAMLRequest or SAMLResponse
  std::string_view message;
  std::optional<std::string_view> relay_state;
  std::optional<std::string_view> sig_alg;
  std::optional<std::string_view> signature;
};

outcome<raw_parameters> split_query(std::string_view query) {
  raw_parameters out;
  std::optional<std::string_view> request;
  std::optional<std::string_view> response;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    std::optional<std::string_view>* slot = nullptr;
    if (name == "SAMLRequest") slot = &request;
    if (name == "SAMLResponse") slot = &response;
    if (name == "RelayState") slot = &out.relay_state;
    if (name == "SigAlg") slot = &out.sig_alg;
    if (name == "Signature") slot = &out.signature;
    if (slot == nullptr) continue;  // not ours to judge
    // Two values for one name would let the verifier and the reader pick different ones.
    if (slot->has_value()) {
      return failure{reason::bad_encoding, "parameter " + std::string(name) + " appears twice"};
    }
    *slot = value;
  }
  if (request.has_value() == response.has_value()) {
    return failure{reason::bad_encoding, "exactly one of SAMLRequest and SAMLResponse is required"};
  }
  out.param = request ? "SAMLRequest" : "SAMLResponse";
  out.message = request ? *request : *response;
  return out;
}

outcome<redirect_message> decode(const raw_parameters& raw, std::size_t max_inflated) {
  redirect_message message;
  message.param = std::string(raw.param);
  auto base64 = percent_decode(raw.message);
  if (!base64) return base64.error();
  auto xml = inflate_base64(*base64, max_inflated);
  if (!xml) return xml.error();
  message.xml = std::move(*xml);
  if (raw.relay_state) {
    auto relay = percent_decode(*raw.relay_state);
    if (!relay) return relay.error();
    message.relay_state = std::move(*relay);
  }
  if (raw.sig_alg) {
    auto alg = percent_decode(*raw.sig_alg);
    if (!alg) return alg.error();
    message.sig_alg = std::move(*alg);
  }
  return message;
}

}  // namespace

std::string deflate_base64(std::string_view xml) {
  zlib_stream z(zlib_stream::direction::deflate);
  if (!z.ready()) throw std::bad_alloc();  // deflateInit2 fails only without memory
  std::string compressed(deflateBound(z.get(), static_cast<uLong>(xml.size())), '\0');
  z.get()->next_in = bytes_of(xml);
  z.get()->avail_in = static_cast<uInt>(xml.size());
  z.get()->next_out = reinterpret_cast<Bytef*>(compressed.data());
  z.get()->avail_out = static_cast<uInt>(compressed.size());
  // deflateBound guarantees room for the whole stream in one call.
  if (deflate(z.get(), Z_FINISH) != Z_STREAM_END) throw std::bad_alloc();
  compressed.resize(z.get()->total_out);
  return base::base64_encode(compressed);
}

outcome<std::string> inflate_base64(std::string_view base64, std::size_t max_inflated) {
  // Raw DEFLATE never grows data by more than a few bytes per 16 KiB block, so a compressed
  // message larger than this cannot inflate to max_inflated or less.
  const std::size_t max_compressed = max_inflated + max_inflated / 64 + 1024;
  auto compressed = decode_base64(base64, max_compressed);
  if (!compressed) return compressed.error();

  zlib_stream z(zlib_stream::direction::inflate);
  if (!z.ready()) return failure{reason::internal_error, "inflateInit2"};
  z.get()->next_in = bytes_of(*compressed);
  z.get()->avail_in = static_cast<uInt>(compressed->size());

  // Output grows in chunks up to max_inflated + 1 byte: reaching that byte proves it is too big.
  constexpr std::size_t chunk = 16 * 1024;
  std::string out;
  for (;;) {
    const std::size_t used = z.get()->total_out;
    if (used > max_inflated) {
      return failure{reason::message_too_large,
                     "inflates to more than " + std::to_string(max_inflated) + " bytes"};
    }
    const std::size_t room = std::min(chunk, max_inflated + 1 - used);
    out.resize(used + room);
    z.get()->next_out = reinterpret_cast<Bytef*>(out.data() + used);
    z.get()->avail_out = static_cast<uInt>(room);
    const int rc = inflate(z.get(), Z_NO_FLUSH);
    if (rc == Z_STREAM_END) break;
    if (rc == Z_BUF_ERROR && z.get()->avail_in == 0) {
      return failure{reason::bad_encoding, "the DEFLATE stream is truncated"};
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return failure{reason::bad_encoding, "not a raw DEFLATE stream"};
    }
  }
  if (z.get()->total_out > max_inflated) {
    return failure{reason::message_too_large,
                   "inflates to more than " + std::to_string(max_inflated) + " bytes"};
  }
  if (z.get()->avail_in != 0) {
    return failure{reason::bad_encoding, "bytes after the end of the DEFLATE stream"};
  }
  out.resize(z.get()->total_out);
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr std::string_view hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
        c == '.' || c == '-' || c == '~') {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0x0F];
    }
  }
  return out;
}

outcome<std::string> percent_decode(std::string_view text) {
  auto decoded = base::percent_decode(text);
  if (!decoded) return failure{reason::bad_encoding, "bad percent-encoding"};
  return std::move(*decoded);
}

outcome<std::string> make_signed_redirect_query(std::string_view param, std::string_view xml,
                                                std::string_view relay_state,
                                                const signing_credentials& creds) {
  base::openssl_error_scope errors;
  std::string query(param);
  query += '=';
  query += percent_encode(deflate_base64(xml));
  if (!relay_state.empty()) {
    query += "&RelayState=";
    query += percent_encode(relay_state);
  }
  query += "&SigAlg=";
  query += percent_encode(algorithm::rsa_sha256);
  auto signature = rsa_sha256_sign(creds.key(), query);
  if (!signature) return signature.error();
  query += "&Signature=";
  query += percent_encode(base::base64_encode(*signature));
  return query;
}

std::string signed_redirect_query(std::string_view param, std::string_view xml,
                                  std::string_view relay_state, const signing_credentials& creds) {
  auto query = make_signed_redirect_query(param, xml, relay_state, creds);
  if (!query) {
    std::fprintf(stderr, "varco: broken invariant: cannot sign a redirect query: %s\n",
                 to_string(query.error()).c_str());
    std::abort();
  }
  return std::move(*query);
}

outcome<redirect_message> verify_redirect_query(std::string_view raw_query,
                                                const std::vector<certificate>& trusted,
                                                std::size_t max_inflated) {
  base::openssl_error_scope errors;
  auto raw = split_query(raw_query);
  if (!raw) return raw.error();
  if (!raw->signature || raw->signature->empty()) {
    return failure{reason::redirect_signature_missing, "no Signature parameter"};
  }
  if (!raw->sig_alg || raw->sig_alg->empty()) {
    return failure{reason::redirect_signature_missing, "no SigAlg parameter"};
  }
  auto sig_alg_uri = percent_decode(*raw->sig_alg);
  if (!sig_alg_uri) return sig_alg_uri.error();
  const sig_alg* alg = find_sig_alg(*sig_alg_uri);
  if (alg == nullptr) {
    return failure{reason::redirect_sigalg_forbidden,
                   "SigAlg \"" + *sig_alg_uri + "\" is not allowed"};
  }
  auto signature_base64 = percent_decode(*raw->signature);
  if (!signature_base64) return signature_base64.error();
  constexpr std::size_t max_signature_bytes = 1024;  // RSA 8192 bits; ECDSA P-521 is far less
  auto signature = decode_base64(*signature_base64, max_signature_bytes);
  if (!signature) return failure{reason::bad_encoding, "Signature: " + signature.error().detail};

  // SAML Bindings §3.4.4.1: the values exactly as they arrived, in this order.
  std::string signed_text(raw->param);
  signed_text += '=';
  signed_text += raw->message;
  if (raw->relay_state) {
    signed_text += "&RelayState=";
    signed_text += *raw->relay_state;
  }
  signed_text += "&SigAlg=";
  signed_text += *raw->sig_alg;

  bool verified = false;
  for (const certificate& cert : trusted) {
    if (verify_with_key(cert.public_key(), *alg, signed_text, *signature)) {
      verified = true;
      break;
    }
  }
  if (!verified) {
    return failure{reason::redirect_signature_invalid,
                   "no trusted certificate verifies the query signature (" +
                       std::to_string(trusted.size()) + " tried)"};
  }
  return decode(*raw, max_inflated);
}

outcome<redirect_message> decode_redirect_query(std::string_view raw_query,
                                                std::size_t max_inflated) {
  auto raw = split_query(raw_query);
  if (!raw) return raw.error();
  return decode(*raw, max_inflated);
}

}  // namespace varco::saml
