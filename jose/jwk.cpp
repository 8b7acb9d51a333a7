#include "jose/jwk.hpp"

#include "base/base64.hpp"
#include "base/sha256.hpp"
#include "jose/compact.hpp"

#include <openssl/core_names.h>

#include <array>

namespace varco::jose {
namespace {

struct curve {
  std::string_view jose_name;     // "P-256"
  std::string_view openssl_name;  // "prime256v1"
  std::size_t coordinate;
};

constexpr std::array<curve, 3> curves = {{
    {"P-256", "prime256v1", 32},
    {"P-384", "secp384r1", 48},
    {"P-521", "secp521r1", 66},
}};

outcome<std::string> required_bytes(const boost::json::object& member, std::string_view name) {
  const auto* value = member.if_contains(name);
  if (value == nullptr || !value->is_string())
    return failure{reason::jwk_malformed, "no " + std::string(name)};
  const auto& s = value->get_string();
  auto bytes = decode_base64url(std::string_view(s.data(), s.size()));
  if (!bytes || bytes->empty())
    return failure{reason::jwk_malformed, std::string(name) + " is not base64url"};
  return bytes;
}

std::string optional_string(const boost::json::object& member, std::string_view name) {
  const auto* value = member.if_contains(name);
  if (value == nullptr || !value->is_string()) return {};
  return std::string(value->get_string());
}

base::openssl_ptr<BIGNUM> to_bn(const std::string& bytes) {
  return base::openssl_ptr<BIGNUM>(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                                             static_cast<int>(bytes.size()), nullptr));
}

outcome<base::openssl_ptr<EVP_PKEY>> from_params(const char* type, OSSL_PARAM_BLD* builder) {
  base::openssl_ptr<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(builder));
  base::openssl_ptr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return failure{reason::jwk_malformed, std::string("not a valid ") + type + " public key"};
  }
  base::openssl_ptr<EVP_PKEY> key(raw);
  base::openssl_ptr<EVP_PKEY_CTX> check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1)
    return failure{reason::jwk_malformed, std::string("not a valid ") + type + " public key"};
  return key;
}

outcome<base::openssl_ptr<EVP_PKEY>> rsa_key(const boost::json::object& member) {
  auto n = required_bytes(member, "n");
  if (!n) return n.error();
  auto e = required_bytes(member, "e");
  if (!e) return e.error();
  if ((*n)[0] == 0 || (*e)[0] == 0) return failure{reason::jwk_malformed, "n or e has a zero"};
  base::openssl_ptr<BIGNUM> bn_n = to_bn(*n);
  base::openssl_ptr<BIGNUM> bn_e = to_bn(*e);
  base::openssl_ptr<OSSL_PARAM_BLD> builder(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !builder ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return failure{reason::internal_error, "cannot build RSA parameters"};
  }
  auto key = from_params("RSA", builder.get());
  if (!key) return key;
  if (EVP_PKEY_get_bits(key->get()) < min_rsa_bits)
    return failure{reason::key_too_weak, std::to_string(EVP_PKEY_get_bits(key->get())) + " bits"};
  return key;
}

outcome<base::openssl_ptr<EVP_PKEY>> ec_key(const boost::json::object& member) {
  const std::string crv = optional_string(member, "crv");
  const curve* found = nullptr;
  for (const auto& c : curves)
    if (c.jose_name == crv) found = &c;
  if (found == nullptr) return failure{reason::jwk_malformed, "unsupported crv"};
  auto x = required_bytes(member, "x");
  if (!x) return x.error();
  auto y = required_bytes(member, "y");
  if (!y) return y.error();
  if (x->size() != found->coordinate || y->size() != found->coordinate)
    return failure{reason::jwk_malformed, "x or y of the wrong length"};
  std::string point = "\x04" + *x + *y;  // SEC 1 uncompressed
  base::openssl_ptr<OSSL_PARAM_BLD> builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                      found->openssl_name.data(), 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return failure{reason::internal_error, "cannot build EC parameters"};
  }
  return from_params("EC", builder.get());
}

}  // namespace

outcome<jwk> parse_public_jwk(const boost::json::object& member) {
  for (std::string_view secret : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
    if (member.contains(secret))
      return failure{reason::jwk_private_refused, "member " + std::string(secret)};
  const std::string kty = optional_string(member, "kty");
  jwk out;
  out.kid = optional_string(member, "kid");
  out.use = optional_string(member, "use");
  out.alg = optional_string(member, "alg");
  if (kty != "RSA" && kty != "EC") return failure{reason::jwk_malformed, "kty " + kty};
  auto key = kty == "RSA" ? rsa_key(member) : ec_key(member);
  if (!key) return key.error();
  out.key = std::move(*key);
  return out;
}

outcome<jwk_set> jwk_set::parse(std::string_view json, std::size_t max_bytes) {
  if (json.size() > max_bytes)
    return failure{reason::token_too_large, "key set of " + std::to_string(json.size())};
  auto root = parse_object(json, reason::jwk_malformed);
  if (!root) return root.error();
  const auto* keys = root->if_contains("keys");
  if (keys == nullptr || !keys->is_array()) return failure{reason::jwk_malformed, "no keys"};
  jwk_set set;
  for (const auto& member : keys->get_array()) {
    if (!member.is_object()) return failure{reason::jwk_malformed, "a key is not an object"};
    const std::string kty = optional_string(member.get_object(), "kty");
    if (kty != "RSA" && kty != "EC") continue;
    auto key = parse_public_jwk(member.get_object());
    if (!key) return key.error();
    if (!key->kid.empty() && set.find(key->kid) != nullptr)
      return failure{reason::jwk_malformed, "two keys with kid " + key->kid};
    set.add(std::move(*key));
  }
  return set;
}

const jwk* jwk_set::find(std::string_view kid) const noexcept {
  for (const auto& key : keys_)
    if (key.kid == kid) return &key;
  return nullptr;
}

outcome<boost::json::object> public_jwk_json(const EVP_PKEY* key, std::string_view kid,
                                             std::string_view use, std::string_view alg) {
  auto param = [&](const char* name, std::size_t pad) -> std::string {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return {};
    base::openssl_ptr<BIGNUM> bn(raw);
    std::string bytes(pad != 0 ? pad : static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
    if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()),
                     static_cast<int>(bytes.size())) < 0)
      return {};
    return base::base64url_encode(bytes);
  };
  boost::json::object out;
  if (EVP_PKEY_is_a(key, "RSA") == 1) {
    out["kty"] = "RSA";
    out["n"] = param(OSSL_PKEY_PARAM_RSA_N, 0);
    out["e"] = param(OSSL_PKEY_PARAM_RSA_E, 0);
  } else if (EVP_PKEY_is_a(key, "EC") == 1) {
    std::array<char, 64> group{};
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(),
                                       nullptr) != 1)
      return failure{reason::internal_error, "EC key without a group"};
    const curve* found = nullptr;
    for (const auto& c : curves)
      if (c.openssl_name == group.data()) found = &c;
    if (found == nullptr) return failure{reason::internal_error, "EC key on another curve"};
    out["kty"] = "EC";
    out["crv"] = found->jose_name;
    out["x"] = param(OSSL_PKEY_PARAM_EC_PUB_X, found->coordinate);
    out["y"] = param(OSSL_PKEY_PARAM_EC_PUB_Y, found->coordinate);
  } else {
    return failure{reason::internal_error, "neither an RSA nor an EC key"};
  }
  for (const char* member : {"n", "e", "x", "y"})
    if (const auto* v = out.if_contains(member); v != nullptr && v->get_string().empty())
      return failure{reason::internal_error, "cannot read the public key"};
  if (!kid.empty()) out["kid"] = kid;
  if (!use.empty()) out["use"] = use;
  if (!alg.empty()) out["alg"] = alg;
  return out;
}

std::string jwk_thumbprint(const boost::json::object& public_jwk) {
  const std::string kty = optional_string(public_jwk, "kty");
  std::vector<std::string_view> members;
  if (kty == "RSA")
    members = {"e", "kty", "n"};
  else if (kty == "EC")
    members = {"crv", "kty", "x", "y"};
  else
    return {};
  // The members are base64url, curve names and key types: no character JSON would escape.
  std::string canonical = "{";
  for (auto name : members) {
    if (canonical.size() > 1) canonical += ',';
    canonical += '"';
    canonical += name;
    canonical += "\":\"";
    canonical += optional_string(public_jwk, name);
    canonical += '"';
  }
  canonical += '}';
  const auto digest = base::sha256(canonical);
  return base::base64url_encode({reinterpret_cast<const char*>(digest.data()), digest.size()});
}

}  // namespace varco::jose
