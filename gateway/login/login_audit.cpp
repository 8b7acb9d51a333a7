#include "gateway/login/login_audit.hpp"

#include <spdlog/spdlog.h>

namespace varco::gateway {

// Opening reads the newest segment's tail (and may write a recovery record): once per directory
// per process, on the worker that needs it first.
saml::audit::audit_writer* audit_writers::writer_for(const std::string& directory,
                                                     int retention_months) {
  const std::lock_guard lock(mutex_);
  auto& slot = by_directory_[directory];
  if (!slot) {
    std::string error;
    auto log =
        saml::audit::audit_log::open(directory, std::chrono::months(retention_months), error);
    if (!log) {
      spdlog::error("audit log {} cannot be opened: {} (reason=audit_unavailable)", directory,
                    error);
      return nullptr;
    }
    slot = std::make_unique<saml::audit::audit_writer>(std::move(log),
                                                       saml::audit::audit_writer::options{});
  }
  return slot.get();
}

awaitable<bool> audit_writers::append_to(audit_target target, std::string_view kind,
                                         boost::json::object fields) {
  // `target` refers into the caller's config: copied before the first suspension.
  const std::string directory = target.directory;
  auto* writer = writer_for(directory, target.retention_months);
  if (writer == nullptr) co_return false;
  const std::string record_kind(kind);
  auto written = co_await writer->async_append(record_kind, std::move(fields), asio::use_awaitable);
  if (!written) {
    spdlog::error("audit log {}: {} record not made durable: {} (reason=audit_unavailable)",
                  directory, record_kind, written.error().message());
    co_return false;
  }
  co_return true;
}

}  // namespace varco::gateway
