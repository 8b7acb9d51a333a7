#include "saml/audit/errors.hpp"

#include <string>

namespace varco::saml::audit {
namespace {

class audit_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "varco.saml.audit"; }
  std::string message(int ev) const override {
    switch (static_cast<audit_errc>(ev)) {
      case audit_errc::invalid_kind:
        return "invalid audit record kind";
      case audit_errc::reserved_field:
        return "an audit field uses a reserved name (seq, time, prev, kind, hash)";
      case audit_errc::record_too_large:
        return "the audit record is too large";
      case audit_errc::torn_write:
        return "the audit record was written only in part";
      case audit_errc::unusable_segment:
        return "an audit segment file could not be listed, read or parsed";
      case audit_errc::queue_full:
        return "the audit writer's queue is full (the disk is not keeping up)";
      case audit_errc::writer_stopped:
        return "the audit writer is stopping";
    }
    return "unknown audit error";
  }
};

}  // namespace

const boost::system::error_category& audit_category() noexcept {
  static const audit_category_impl instance;
  return instance;
}

}  // namespace varco::saml::audit
