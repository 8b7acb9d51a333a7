// `varco metadata`: prints the SP's signed metadata (RULES.md §1) for registration with AgID
// (SPID) or the Ministry of the Interior (CIE), exactly as /saml/metadata serves it.
#include "conf/loader.hpp"
#include "gateway/commands/commands.hpp"
#include "saml/sp_metadata.hpp"
#include "saml/sp_profile.hpp"
#include "saml/xml_library.hpp"

#include <exception>
#include <memory>
#include <string>

namespace varco::gateway::commands {

int run_metadata_command(std::span<const std::string_view> args, std::ostream& out,
                         std::ostream& err) {
  std::string config_file;
  std::string kind = "spid";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      out << "usage:\n" << metadata_usage;
      return 0;
    }
    const bool takes_value = args[i] == "--config" || args[i] == "-c" || args[i] == "--kind";
    if (!takes_value) {
      err << "varco metadata: unknown option " << args[i] << "\nusage:\n" << metadata_usage;
      return 2;
    }
    if (i + 1 >= args.size()) {
      err << "varco metadata: " << args[i] << " needs a value\n";
      return 2;
    }
    std::string& target = args[i] == "--kind" ? kind : config_file;
    target = std::string(args[++i]);
  }
  if (config_file.empty()) {
    err << "varco metadata: --config FILE is required\nusage:\n" << metadata_usage;
    return 2;
  }
  if (kind != "spid" && kind != "cie") {
    err << "varco metadata: --kind is spid or cie\n";
    return 2;
  }

  const conf::load_outcome loaded = conf::load_config(config_file);
  if (!loaded.value) {
    for (const auto& e : loaded.errors) err << e.to_string() << '\n';
    return 1;
  }
  const conf::saml& saml = loaded.value->saml;
  if (!saml.enabled) {
    err << "varco metadata: " << config_file << " has no saml section\n";
    return 1;
  }

  // Nested inside main's guard when there is one; libxml2/xmlsec are set up either way.
  std::unique_ptr<saml::xml_library> library;
  try {
    library = std::make_unique<saml::xml_library>();
  } catch (const std::exception& e) {
    err << "varco metadata: " << e.what() << '\n';
    return 1;
  }
  auto profile = saml::load_sp_profile(saml);
  if (!profile) {
    err << "varco metadata: " << profile.error().detail << '\n';
    return 1;
  }
  auto metadata = saml::build_sp_metadata(
      *profile, kind == "cie" ? saml::provider_kind::cie : saml::provider_kind::spid);
  if (!metadata) {
    err << "varco metadata: " << metadata.error().detail << '\n';
    return 1;
  }
  out << *metadata;
  if (!metadata->empty() && metadata->back() != '\n') out << '\n';
  return out.good() ? 0 : 1;
}

}  // namespace varco::gateway::commands
