// The login flow's view of the tamper-evident audit log (saml/audit): audit_sink, a durable
// append that suspends the calling coroutine and never blocks its worker thread.
//
// append() yields false when the record could not be made durable (logged with
// reason=audit_unavailable): the caller fails the login closed (RULES.md §5 — an authentication
// without its record must not happen).
#pragma once

#include "conf/config.hpp"
#include "gateway/http/asio_types.hpp"
#include "saml/audit/audit_writer.hpp"

#include <boost/json/object.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace varco::gateway {

// Where a protocol's records go: its section's audit directory (SAML and OpenID Connect may
// name the same one, and then share one chain).
struct audit_target {
  const std::string& directory;
  int retention_months;
};

class audit_sink {
 public:
  virtual ~audit_sink() = default;
  // The record goes to `target.directory`; the coroutine resumes on its own executor.
  virtual awaitable<bool> append_to(audit_target target, std::string_view kind,
                                    boost::json::object fields) = 0;

  awaitable<bool> append(const conf::saml& config, std::string_view kind,
                         boost::json::object fields) {
    return append_to({config.audit_directory, config.audit_retention_months}, kind,
                     std::move(fields));
  }
  awaitable<bool> append(const conf::oidc& config, std::string_view kind,
                         boost::json::object fields) {
    return append_to({config.audit_directory, config.audit_retention_months}, kind,
                     std::move(fields));
  }
};

// The process's audit logs, one saml::audit::audit_writer (and its writer thread) per directory,
// opened on first use and kept for the life of the object: a reload that names the same
// directory keeps appending to the same chain (the log holds the directory's lock). Shared by
// every worker. Destroy it after the workers stopped serving and before their io_contexts: its
// destructor completes the appends still queued on those executors.
class audit_writers final : public audit_sink {
 public:
  awaitable<bool> append_to(audit_target target, std::string_view kind,
                            boost::json::object fields) override;

 private:
  saml::audit::audit_writer* writer_for(const std::string& directory, int retention_months);

  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<saml::audit::audit_writer>> by_directory_;  // mutex_
};

}  // namespace varco::gateway
