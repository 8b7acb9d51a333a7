// Error codes of the audit log, as a boost::system error category. I/O failures are reported
// with the errno code (system category) instead, so the caller can log what the kernel said.
#pragma once

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace varco::saml::audit {

enum class audit_errc {
  invalid_kind = 1,  // empty, not [a-z_], or one the log writes itself (segment, recovery, prune)
  reserved_field,    // a field named seq, time, prev, kind or hash
  record_too_large,  // the serialised line exceeds max_record_bytes
  torn_write,        // a write stopped half-way; the next append starts a recovery segment
  unusable_segment,  // a segment file could not be listed, read or parsed where one was needed
  queue_full,        // the writer's queue is at its bound (audit_writer); nothing was queued
  writer_stopped,    // the writer is being destroyed; nothing was queued
};

const boost::system::error_category& audit_category() noexcept;

inline boost::system::error_code make_error_code(audit_errc e) noexcept {
  return {static_cast<int>(e), audit_category()};
}

}  // namespace varco::saml::audit

template <>
struct boost::system::is_error_code_enum<varco::saml::audit::audit_errc> : std::true_type {};
