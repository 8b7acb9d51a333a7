// Offline checks of an audit log (`varco audit verify`, `varco audit head`); see docs/audit.md
// for the rules. Reads only; safe to run while the gateway appends (it sees a prefix).
#pragma once

#include "saml/audit/audit_log.hpp"

#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace varco::saml::audit {

struct expected_record {
  std::uint64_t seq = 0;
  std::string hash;
};

struct verify_options {
  // A head exported earlier (`varco audit head`): the record with this seq must still be in the
  // chain with this hash. Catches a chain rewritten or truncated since the export.
  std::optional<expected_record> expect;
  // Called with each record line (without its '\n') once it has been checked, in chain order:
  // the records as they were written, whether their segment is plain or sealed (`varco audit
  // cat`).
  std::function<void(std::string_view line)> on_record;
};

struct verify_report {
  bool ok = false;
  std::size_t records = 0;  // complete records checked (all of them when ok)
  std::size_t files = 0;
  std::string first_error;            // "file:line: what"; empty when ok
  std::vector<std::string> warnings;  // damage recorded by a recovery record, or not yet
  record_ref last;                    // the last record checked
};

// `path` is a directory of segments (the full checks) or one segment file, plain or sealed (its
// chain and headers only; its first `prev` is taken on trust).
verify_report verify_audit(const std::filesystem::path& path, const verify_options& options = {});

// The last complete record of the newest segment of `dir`, read from the tail without verifying
// the chain: the value to export elsewhere.
boost::system::result<record_ref, std::string> read_head(const std::filesystem::path& dir);

}  // namespace varco::saml::audit
