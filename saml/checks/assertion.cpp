// The saml:Assertion element's own attributes and Issuer. Runs after check_assertion_signature:
// s.assertion is the node the verified signature covers.
#include "saml/response_checks.hpp"

#include <string>

namespace varco::saml::checks {

outcome<void> check_assertion_id(validation_state& s) {
  auto id = attribute(s.assertion, "ID");
  if (!id || id->empty()) return failure{reason::assertion_id_missing, ""};
  s.user.assertion_id = std::move(*id);
  return {};
}

outcome<void> check_assertion_version(validation_state& s) {
  const auto version = attribute(s.assertion, "Version");
  if (version != "2.0") {
    return failure{reason::assertion_version, version ? log_safe(*version) : "missing"};
  }
  return {};
}

outcome<void> check_assertion_issue_instant(validation_state& s) {
  auto instant = check_issue_instant(
      s.assertion, s.expect,
      {reason::assertion_issue_instant_malformed, reason::assertion_issue_instant_before_request,
       reason::assertion_issue_instant_future});
  if (!instant) return instant.error();
  return {};
}

// SPID requires Format entity on the Assertion Issuer; CIE omits it (RULES.md §6).
outcome<void> check_assertion_issuer(validation_state& s) {
  auto checked =
      check_issuer_element(s.assertion, s.expect,
                           /*format_required=*/s.expect.kind == provider_kind::spid,
                           {reason::assertion_issuer_mismatch, reason::assertion_issuer_format});
  if (!checked) return checked;
  s.user.issuer = s.expect.idp->entity_id;
  return {};
}

}  // namespace varco::saml::checks
