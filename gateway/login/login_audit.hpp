// The login flow's view of the tamper-evident audit log (saml/audit): one process-wide log per
// directory, opened on first use and shared by every worker (appends are serialised inside).
//
// append() returns false when the record could not be made durable: the caller fails the login
// closed (RULES.md §5 — an authentication without its record must not happen).
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace varco::gateway {

bool audit_append(const std::string& directory, int retention_months, std::string_view kind,
                  const boost::json::object& fields);

}  // namespace varco::gateway
