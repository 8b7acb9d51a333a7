// saml:AuthnStatement: how strongly the user authenticated (the SPID level) and the SessionIndex
// that SLO names.
#include "saml/response_checks.hpp"
#include "saml/xml_names.hpp"

#include <string>

namespace varco::saml::checks {
namespace {

// 1..3 for https://www.spid.gov.it/SpidL1..3, 0 for anything else (including the
// urn:oasis:names:tc:SAML:2.0:ac:classes:SpidLx forms that SPID forbids).
int spid_level(std::string_view class_ref) {
  if (!class_ref.starts_with(spid_level_prefix)) return 0;
  const std::string_view digit = class_ref.substr(spid_level_prefix.size());
  if (digit == "1") return 1;
  if (digit == "2") return 2;
  if (digit == "3") return 3;
  return 0;
}

// Whether `level` answers a request for `requested` with that Comparison. A higher level than
// requested is always accepted (RULES.md §3), also for "exact": IdPs answer exact L1 with L2 when
// the user chose a stronger credential, and a stronger authentication never weakens the SP.
// "better" asks for strictly stronger; "maximum" is the only comparison that admits a lower level,
// and it admits any. An unknown comparison (the gateway never sends one) counts as "minimum".
bool level_satisfies(int level, int requested, std::string_view comparison) {
  if (comparison == "maximum") return true;
  if (comparison == "better") return level > requested;
  return level >= requested;
}

}  // namespace

outcome<void> check_authn_statement(validation_state& s) {
  auto statement = single_child(s.assertion, ns::saml, "AuthnStatement");
  if (!statement) return statement.error();
  if (*statement == nullptr)
    return failure{reason::authn_context_missing, "AuthnStatement missing"};
  auto context = single_child(*statement, ns::saml, "AuthnContext");
  if (!context) return context.error();
  if (*context == nullptr) return failure{reason::authn_context_missing, "AuthnContext missing"};
  auto class_ref_element = single_child(*context, ns::saml, "AuthnContextClassRef");
  if (!class_ref_element) return class_ref_element.error();
  if (*class_ref_element == nullptr) {
    return failure{reason::authn_context_missing, "AuthnContextClassRef missing"};
  }
  auto class_ref = strict_text(*class_ref_element);
  if (!class_ref) return class_ref.error();

  const int level = spid_level(*class_ref);
  if (level == 0) return failure{reason::authn_context_invalid, log_safe(*class_ref)};
  if (!level_satisfies(level, s.expect.requested_level, s.expect.comparison)) {
    return failure{reason::authn_level_too_low, "SpidL" + std::to_string(level) + " for " +
                                                    s.expect.comparison + " SpidL" +
                                                    std::to_string(s.expect.requested_level)};
  }
  s.user.level = level;
  // Optional: IdPs omit it at L2/L3 (RULES.md §3); SLO then names the NameID alone.
  s.user.session_index = attribute(*statement, "SessionIndex").value_or("");
  return {};
}

}  // namespace varco::saml::checks
