// `varco sp-cert`: writes a key and a self-signed Avviso 29 certificate for the SP
// (saml/certgen). The key never exists on disk with a mode wider than 0600.
#include "gateway/commands/commands.hpp"
#include "gateway/commands/private_file.hpp"
#include "saml/certgen/sp_certificate.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

namespace varco::gateway::commands {
namespace {

namespace certgen = varco::saml::certgen;
namespace fs = std::filesystem;

bool parse_int(std::string_view text, int& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

}  // namespace

int run_sp_cert_command(std::span<const std::string_view> args, std::ostream& out,
                        std::ostream& err) {
  std::map<std::string_view, std::string> values;
  bool force = false;
  static constexpr std::string_view options[] = {
      "--entity-id",   "--cn",   "--org",  "--locality", "--country", "--ipa-code", "--vat-number",
      "--fiscal-code", "--bits", "--days", "--digest",   "--key-out", "--cert-out"};
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      out << "usage:\n" << sp_cert_usage;
      return 0;
    }
    if (args[i] == "--force") {
      force = true;
      continue;
    }
    if (std::find(std::begin(options), std::end(options), args[i]) == std::end(options)) {
      err << "varco sp-cert: unknown option " << args[i] << "\nusage:\n" << sp_cert_usage;
      return 2;
    }
    if (i + 1 >= args.size()) {
      err << "varco sp-cert: " << args[i] << " needs a value\n";
      return 2;
    }
    values[args[i]] = std::string(args[i + 1]);
    ++i;
  }
  const auto value = [&](std::string_view name) {
    const auto it = values.find(name);
    return it == values.end() ? std::string() : it->second;
  };

  certgen::sp_certificate_request request;
  request.entity_id = value("--entity-id");
  request.common_name = value("--cn");
  request.organization = value("--org");
  request.locality = value("--locality");
  if (values.contains("--country")) request.country = value("--country");
  request.ipa_code = value("--ipa-code");
  request.vat_number = value("--vat-number");
  request.fiscal_code = value("--fiscal-code");
  if (request.ipa_code.empty() && (!request.vat_number.empty() || !request.fiscal_code.empty()))
    request.sector = certgen::sp_sector::private_sector;
  if (values.contains("--bits") && !parse_int(value("--bits"), request.key_bits)) {
    err << "varco sp-cert: --bits takes a number\n";
    return 2;
  }
  if (int days = 0; values.contains("--days")) {
    if (!parse_int(value("--days"), days)) {
      err << "varco sp-cert: --days takes a number\n";
      return 2;
    }
    request.validity = std::chrono::days{days};
  }
  if (values.contains("--digest")) {
    const std::string digest = value("--digest");
    if (digest != "sha256" && digest != "sha512") {
      err << "varco sp-cert: --digest is sha256 or sha512\n";
      return 2;
    }
    request.digest = digest == "sha512" ? certgen::sp_digest::sha512 : certgen::sp_digest::sha256;
  }
  const fs::path key_out = value("--key-out");
  const fs::path cert_out = value("--cert-out");
  std::vector<std::string> problems = certgen::validate(request);
  if (key_out.empty()) problems.emplace_back("--key-out FILE is required");
  if (cert_out.empty()) problems.emplace_back("--cert-out FILE is required");
  if (!problems.empty()) {
    for (const auto& p : problems) err << "varco sp-cert: " << p << '\n';
    return 2;
  }
  std::error_code ec;
  for (const auto& path : {key_out, cert_out}) {
    if (!force && fs::exists(path, ec)) {
      err << "varco sp-cert: " << path.string() << " exists (--force replaces it)\n";
      return 1;
    }
  }

  certgen::generated_credentials credentials;
  try {
    credentials = certgen::generate_sp_certificate(request);
  } catch (const std::exception& e) {
    err << "varco sp-cert: " << e.what() << '\n';
    return 1;
  }
  if (auto error = write_file_atomically(key_out, credentials.key_pem, 0600); !error.empty()) {
    err << "varco sp-cert: " << error << '\n';
    return 1;
  }
  if (auto error = write_file_atomically(cert_out, credentials.cert_pem, 0644); !error.empty()) {
    err << "varco sp-cert: " << error << '\n';
    return 1;
  }
  out << "key: " << key_out.string() << " (RSA " << request.key_bits << ", mode 0600)\n"
      << "certificate: " << cert_out.string() << " (" << request.validity.count()
      << " days, organizationIdentifier " << certgen::organization_identifier(request) << ")\n";
  return 0;
}

}  // namespace varco::gateway::commands
