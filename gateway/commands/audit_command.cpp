// `varco audit verify|head|cat`: the offline side of the audit log (saml/audit, docs/audit.md).
#include "gateway/commands/commands.hpp"
#include "saml/audit/record_codec.hpp"
#include "saml/audit/verify.hpp"

#include <charconv>
#include <optional>
#include <string>

namespace varco::gateway::commands {
namespace {

namespace audit = varco::saml::audit;

// "SEQ:HASH", as `varco audit head` prints it.
std::optional<audit::expected_record> parse_expect(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  audit::expected_record out;
  const auto seq = text.substr(0, colon);
  const auto [end, ec] = std::from_chars(seq.data(), seq.data() + seq.size(), out.seq);
  out.hash = std::string(text.substr(colon + 1));
  if (ec != std::errc{} || end != seq.data() + seq.size() || !audit::is_hash_hex(out.hash))
    return std::nullopt;
  return out;
}

int verify(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << "varco audit verify: a file or directory is required\n";
    return 2;
  }
  audit::verify_options options;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--expect" && i + 1 < args.size()) {
      options.expect = parse_expect(args[++i]);
      if (!options.expect) {
        err << "varco audit verify: --expect takes SEQ:HASH (as `varco audit head` prints)\n";
        return 2;
      }
    } else {
      err << "varco audit verify: unexpected " << args[i] << '\n';
      return 2;
    }
  }
  const auto report = audit::verify_audit(std::string(args[0]), options);
  for (const auto& warning : report.warnings) err << "warning: " << warning << '\n';
  if (!report.ok) {
    err << report.first_error << '\n';
    return 1;
  }
  out << "ok: " << report.records << " records\n";
  return 0;
}

int head(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (args.size() != 1) {
    err << "varco audit head: exactly one directory is required\n";
    return 2;
  }
  const auto last = audit::read_head(std::string(args[0]));
  if (!last) {
    err << last.error() << '\n';
    return 1;
  }
  out << last->seq << ':' << last->hash << ' ' << last->file << '\n';
  return 0;
}

// The records as they were written — the JSON lines of the plain segments, sealed ones
// decompressed — each printed once it has been checked; a chain that does not verify stops the
// output at the first bad record and fails like `verify`.
int cat(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (args.size() != 1) {
    err << "varco audit cat: exactly one file or directory is required\n";
    return 2;
  }
  audit::verify_options options;
  options.on_record = [&out](std::string_view line) { out << line << '\n'; };
  const auto report = audit::verify_audit(std::string(args[0]), options);
  out.flush();
  for (const auto& warning : report.warnings) err << "warning: " << warning << '\n';
  if (!report.ok) {
    err << report.first_error << '\n';
    return 1;
  }
  return 0;
}

}  // namespace

int run_audit_command(std::span<const std::string_view> args, std::ostream& out,
                      std::ostream& err) {
  if (!args.empty() && args[0] == "verify") return verify(args.subspan(1), out, err);
  if (!args.empty() && args[0] == "head") return head(args.subspan(1), out, err);
  if (!args.empty() && args[0] == "cat") return cat(args.subspan(1), out, err);
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    out << "usage:\n" << audit_usage;
    return 0;
  }
  err << "usage:\n" << audit_usage;
  return 2;
}

}  // namespace varco::gateway::commands
