#include "gateway/login/login_audit.hpp"

#include "saml/audit/audit_log.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <memory>
#include <mutex>

namespace varco::gateway {
namespace {

// Opened on first use and kept for the life of the process (a reload that names the same
// directory keeps appending to the same chain; the log holds the directory's lock).
struct open_logs {
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<saml::audit::audit_log>> by_directory;
};

open_logs& logs() {
  static open_logs instance;
  return instance;
}

saml::audit::audit_log* log_for(const std::string& directory, int retention_months) {
  auto& all = logs();
  std::lock_guard lock(all.mutex);
  auto& slot = all.by_directory[directory];
  if (!slot) {
    std::string error;
    slot = saml::audit::audit_log::open(directory, std::chrono::months(retention_months), error);
    if (!slot) {
      spdlog::error("audit log {} cannot be opened: {} (reason=audit_unavailable)", directory,
                    error);
      return nullptr;
    }
  }
  return slot.get();
}

}  // namespace

bool audit_append(const std::string& directory, int retention_months, std::string_view kind,
                  const boost::json::object& fields) {
  auto* log = log_for(directory, retention_months);
  if (log == nullptr) return false;
  auto written = log->append(kind, fields);
  if (!written) {
    spdlog::error("audit log {}: {} record not made durable: {} (reason=audit_unavailable)",
                  directory, kind, written.error().message());
    return false;
  }
  return true;
}

}  // namespace varco::gateway
