// varco: the command line. Subcommands: serve, check-config, audit, sp-cert, oidc-key, metadata,
// entity-configuration, directory; --version.
#include "gateway/commands/commands.hpp"
#include "gateway/entity_configuration_command.hpp"
#include "gateway/runtime.hpp"
#include "gateway/server.hpp"
#include "gateway/telemetry/access_log.hpp"
#include "saml/xml_library.hpp"
#include "varco/version.hpp"

#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

// The offline commands keep their own usage lines next to their parsers.
const std::string usage = [] {
  std::string text =
      "usage: varco serve --config FILE [--ready-file FILE]\n"
      "       varco check-config --config FILE\n";
  text += varco::gateway::commands::audit_usage;
  text += varco::gateway::commands::sp_cert_usage;
  text += varco::gateway::commands::oidc_key_usage;
  text += varco::gateway::commands::metadata_usage;
  text += varco::gateway::entity_configuration_usage;
  text += varco::gateway::commands::directory_usage;
  return text + "       varco --version\n";
}();

struct arguments {
  std::string command;
  std::string config;
  std::string ready_file;
  std::string error;
};

arguments parse(int argc, char** argv) {
  arguments args;
  std::vector<std::string_view> words(argv + 1, argv + argc);
  if (words.empty()) {
    args.error = "a command is required";
    return args;
  }
  args.command = words[0];
  for (std::size_t i = 1; i < words.size(); ++i) {
    const auto word = words[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= words.size()) {
        args.error = std::string(word) + " needs a value";
        return;
      }
      out = words[++i];
    };
    if (word == "--config" || word == "-c")
      value(args.config);
    else if (word == "--ready-file")
      value(args.ready_file);
    else
      args.error = "unknown option " + std::string(word);
    if (!args.error.empty()) break;
  }
  return args;
}

int check_config(const std::string& path) {
  varco::gateway::runtime_errors errors;
  auto runtime = varco::gateway::build_runtime(path, 1, errors);
  if (!runtime) {
    for (const auto& line : errors.lines) std::cerr << line << '\n';
    std::cerr << errors.lines.size() << (errors.lines.size() == 1 ? " error" : " errors") << '\n';
    return 1;
  }
  std::cout << path << ": ok (" << runtime->config->products.size() << " products, "
            << runtime->routes.size() << " routes)\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Offline commands parse their own options (gateway/commands).
  if (argc >= 2) {
    const std::string_view command = argv[1];
    const std::vector<std::string_view> rest(argv + 2, argv + argc);
    if (command == "audit")
      return varco::gateway::commands::run_audit_command(rest, std::cout, std::cerr);
    if (command == "sp-cert")
      return varco::gateway::commands::run_sp_cert_command(rest, std::cout, std::cerr);
    if (command == "oidc-key")
      return varco::gateway::commands::run_oidc_key_command(rest, std::cout, std::cerr);
    if (command == "metadata")
      return varco::gateway::commands::run_metadata_command(rest, std::cout, std::cerr);
    if (command == "entity-configuration")
      return varco::gateway::run_entity_configuration_command(rest, std::cout, std::cerr);
    if (command == "directory")
      return varco::gateway::commands::run_directory_command(rest, std::cout, std::cerr);
  }
  const arguments args = parse(argc, argv);
  if (args.command == "--version" || args.command == "version") {
    std::cout << "varco " << varco::version << '\n';
    return 0;
  }
  if (args.command == "--help" || args.command == "help" || args.command == "-h") {
    std::cout << usage;
    return 0;
  }
  if (!args.error.empty()) {
    std::cerr << "varco: " << args.error << '\n' << usage;
    return 2;
  }
  if (args.command != "serve" && args.command != "check-config") {
    std::cerr << "varco: unknown command " << args.command << '\n' << usage;
    return 2;
  }
  if (args.config.empty()) {
    std::cerr << "varco: --config FILE is required\n" << usage;
    return 2;
  }
  // libxml2 and xmlsec are initialised once for the process, before any thread uses them
  // (STYLE.md: never per request); check-config builds the SP metadata too.
  std::unique_ptr<varco::saml::xml_library> xml;
  try {
    xml = std::make_unique<varco::saml::xml_library>();
  } catch (const std::exception& e) {
    std::cerr << "varco: " << e.what() << '\n';
    return 1;
  }
  if (args.command == "check-config") return check_config(args.config);

  varco::gateway::setup_logging("info");
  return varco::gateway::serve({args.config, args.ready_file});
}
