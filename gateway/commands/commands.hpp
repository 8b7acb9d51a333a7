// Offline subcommands of `varco`: no server (only `metadata` reads a configuration file). Each
// takes the words after its own name, writes to `out`/`err`, and returns the process exit code
// (0 done, 1 failed, 2 usage error), so unit tests call them without starting a process.
#pragma once

#include <ostream>
#include <span>
#include <string_view>

namespace varco::gateway::commands {

// varco audit verify PATH [--expect SEQ:HASH]   — checks the hash chain (docs/audit.md)
// varco audit head DIR                          — prints SEQ:HASH FILE of the last record
// varco audit cat PATH                          — prints the records, checked, as written
int run_audit_command(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

// varco sp-cert --entity-id URL --cn NAME --org NAME --locality CITY
//               (--ipa-code CODE | --vat-number X | --fiscal-code X)
//               [--bits 3072] [--days 730] [--digest sha256|sha512]
//               --key-out FILE --cert-out FILE [--force]
int run_sp_cert_command(std::span<const std::string_view> args, std::ostream& out,
                        std::ostream& err);

// varco metadata --config FILE [--kind spid|cie]   — prints the signed SP metadata (reads the
// configuration and the SP key it names; docs/saml.md "SP metadata")
int run_metadata_command(std::span<const std::string_view> args, std::ostream& out,
                         std::ostream& err);

// varco directory import --config FILE [--file DIRECTORY.yaml]   — replaces the Redis directory
// (directory.backend: redis) with the YAML file (default: directory.file); docs/directory.md
int run_directory_command(std::span<const std::string_view> args, std::ostream& out,
                          std::ostream& err);

// varco oidc-key --use sig|enc (--key-out FILE [--type rsa|ec] [--bits 3072] [--force] |
//                --key FILE)   — makes (or reads) a key and prints its public JWK (docs/oidc.md)
int run_oidc_key_command(std::span<const std::string_view> args, std::ostream& out,
                         std::ostream& err);

inline constexpr std::string_view audit_usage =
    "       varco audit verify FILE|DIR [--expect SEQ:HASH]\n"
    "       varco audit head DIR\n"
    "       varco audit cat FILE|DIR\n";
inline constexpr std::string_view sp_cert_usage =
    "       varco sp-cert --entity-id URL --cn NAME --org NAME --locality CITY\n"
    "                     (--ipa-code CODE | --vat-number X | --fiscal-code X)\n"
    "                     [--bits 2048|3072|4096] [--days 730] [--digest sha256|sha512]\n"
    "                     --key-out FILE --cert-out FILE [--force]\n";
inline constexpr std::string_view directory_usage =
    "       varco directory import --config FILE [--file DIRECTORY.yaml]\n";
inline constexpr std::string_view oidc_key_usage =
    "       varco oidc-key --use sig|enc --key-out FILE [--type rsa|ec] [--bits 2048|3072|4096]\n"
    "                      [--force]\n"
    "       varco oidc-key --use sig|enc --key FILE\n";
inline constexpr std::string_view metadata_usage =
    "       varco metadata --config FILE [--kind spid|cie]\n";

}  // namespace varco::gateway::commands
