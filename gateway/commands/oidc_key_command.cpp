// `varco oidc-key`: makes (or reads) a key for OpenID Connect and the OpenID Federation — a
// signing key (Request Objects, client assertions, the Entity Configuration) or an encryption
// key (UserInfo and ID Tokens encrypted to varco) — and prints its public JWK, with the RFC 7638
// thumbprint as kid, ready for a jwks. A rotation publishes the next key's JWK beside the
// current one before switching to it.
#include "base/openssl_handles.hpp"
#include "gateway/commands/commands.hpp"
#include "gateway/commands/private_file.hpp"
#include "jose/jwk.hpp"

#include <boost/json/serialize.hpp>
#include <openssl/pem.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <string>

namespace varco::gateway::commands {
namespace {

namespace fs = std::filesystem;

base::openssl_ptr<EVP_PKEY> generate(const std::string& type, int bits) {
  if (type == "ec")
    return base::openssl_ptr<EVP_PKEY>(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  return base::openssl_ptr<EVP_PKEY>(
      EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(bits)));
}

base::openssl_ptr<EVP_PKEY> read_key(const fs::path& path) {
  base::openssl_ptr<BIO> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return nullptr;
  return base::openssl_ptr<EVP_PKEY>(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

std::string pkcs8_pem(EVP_PKEY* key) {
  base::openssl_ptr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PKCS8PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return {};
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

}  // namespace

int run_oidc_key_command(std::span<const std::string_view> args, std::ostream& out,
                         std::ostream& err) {
  std::map<std::string_view, std::string> values;
  bool force = false;
  static constexpr std::string_view options[] = {"--use", "--type", "--bits", "--key-out", "--key"};
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      out << "usage:\n" << oidc_key_usage;
      return 0;
    }
    if (args[i] == "--force") {
      force = true;
      continue;
    }
    if (std::find(std::begin(options), std::end(options), args[i]) == std::end(options)) {
      err << "varco oidc-key: unknown option " << args[i] << "\nusage:\n" << oidc_key_usage;
      return 2;
    }
    if (i + 1 >= args.size()) {
      err << "varco oidc-key: " << args[i] << " needs a value\n";
      return 2;
    }
    values[args[i]] = std::string(args[i + 1]);
    ++i;
  }
  const auto value = [&](std::string_view name, const std::string& fallback = {}) {
    const auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  };
  const std::string use = value("--use");
  const std::string type = value("--type", "rsa");
  int bits = 3072;
  if (const std::string b = value("--bits"); !b.empty()) {
    const auto [end, ec] = std::from_chars(b.data(), b.data() + b.size(), bits);
    if (ec != std::errc{} || end != b.data() + b.size() ||
        (bits != 2048 && bits != 3072 && bits != 4096)) {
      err << "varco oidc-key: --bits is 2048, 3072 or 4096\n";
      return 2;
    }
  }
  if (use != "sig" && use != "enc") {
    err << "varco oidc-key: --use is sig or enc\n";
    return 2;
  }
  if (type != "rsa" && type != "ec") {
    err << "varco oidc-key: --type is rsa or ec\n";
    return 2;
  }
  if (use == "enc" && type == "ec") {
    err << "varco oidc-key: encryption keys are RSA (RSA-OAEP-256)\n";
    return 2;
  }
  const fs::path key_out = value("--key-out");
  const fs::path key_in = value("--key");
  if (key_out.empty() == key_in.empty()) {
    err << "varco oidc-key: give --key-out FILE (a new key) or --key FILE (an existing one)\n";
    return 2;
  }

  base::openssl_ptr<EVP_PKEY> key;
  if (!key_in.empty()) {
    key = read_key(key_in);
    if (!key) {
      err << "varco oidc-key: " << key_in.string() << " is not a PEM private key\n";
      return 1;
    }
  } else {
    std::error_code ec;
    if (!force && fs::exists(key_out, ec)) {
      err << "varco oidc-key: " << key_out.string() << " exists (--force replaces it)\n";
      return 1;
    }
    key = generate(type, bits);
    const std::string pem = key ? pkcs8_pem(key.get()) : std::string();
    if (pem.empty()) {
      err << "varco oidc-key: cannot make the key\n";
      return 1;
    }
    if (auto error = write_file_atomically(key_out, pem, 0600); !error.empty()) {
      err << "varco oidc-key: " << error << '\n';
      return 1;
    }
  }
  const bool rsa = EVP_PKEY_is_a(key.get(), "RSA") == 1;
  const std::string alg = use == "enc" ? "RSA-OAEP-256" : rsa ? "RS256" : "ES256";
  if (use == "enc" && !rsa) {
    err << "varco oidc-key: encryption keys are RSA (RSA-OAEP-256)\n";
    return 1;
  }
  if (rsa && EVP_PKEY_get_bits(key.get()) < jose::min_rsa_bits) {
    err << "varco oidc-key: the key has fewer than 2048 bits\n";
    return 1;
  }
  auto jwk = jose::public_jwk_json(key.get(), "", use, alg);
  if (!jwk) {
    err << "varco oidc-key: " << jwk.error().detail << '\n';
    return 1;
  }
  (*jwk)["kid"] = jose::jwk_thumbprint(*jwk);
  out << boost::json::serialize(*jwk) << '\n';
  return 0;
}

}  // namespace varco::gateway::commands
