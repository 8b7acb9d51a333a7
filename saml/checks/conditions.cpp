// saml:Conditions: the validity window (both bounds required by SPID) and the audience.
#include "saml/response_checks.hpp"
#include "saml/xml_names.hpp"

#include <string>

namespace varco::saml::checks {
namespace {

outcome<xmlNodePtr> conditions_of(const validation_state& s) {
  auto conditions = single_child(s.assertion, ns::saml, "Conditions");
  if (conditions && *conditions == nullptr) return failure{reason::conditions_missing, ""};
  return conditions;
}

}  // namespace

outcome<void> check_conditions(validation_state& s) {
  auto conditions = conditions_of(s);
  if (!conditions) return conditions.error();
  const auto not_before_text = attribute(*conditions, "NotBefore");
  const auto not_on_or_after_text = attribute(*conditions, "NotOnOrAfter");
  const auto not_before = not_before_text ? parse_utc_instant(*not_before_text) : std::nullopt;
  const auto not_on_or_after =
      not_on_or_after_text ? parse_utc_instant(*not_on_or_after_text) : std::nullopt;
  if (!not_before) {
    return failure{reason::conditions_malformed,
                   "NotBefore " + (not_before_text ? log_safe(*not_before_text) : "missing")};
  }
  if (!not_on_or_after) {
    return failure{
        reason::conditions_malformed,
        "NotOnOrAfter " + (not_on_or_after_text ? log_safe(*not_on_or_after_text) : "missing")};
  }
  if (*not_before > s.expect.now + s.expect.clock_skew) {
    return failure{reason::conditions_not_yet_valid, "NotBefore " + log_safe(*not_before_text)};
  }
  if (s.expect.now >= *not_on_or_after + s.expect.clock_skew) {
    return failure{reason::conditions_expired, "NotOnOrAfter " + log_safe(*not_on_or_after_text)};
  }
  s.conditions_not_on_or_after = not_on_or_after;
  return {};
}

// SAML semantics: every AudienceRestriction must name us (they are ANDed; the Audiences inside
// one are ORed). SPID sends exactly one with one Audience.
outcome<void> check_audience(validation_state& s) {
  auto conditions = conditions_of(s);
  if (!conditions) return conditions.error();
  const auto restrictions = children(*conditions, ns::saml, "AudienceRestriction");
  if (restrictions.empty())
    return failure{reason::audience_mismatch, "AudienceRestriction missing"};
  for (xmlNodePtr restriction : restrictions) {
    bool names_us = false;
    std::string seen;
    for (xmlNodePtr audience : children(restriction, ns::saml, "Audience")) {
      auto text = strict_text(audience);
      if (!text) return text.error();
      if (*text == s.expect.sp_entity_id) names_us = true;
      seen = std::move(*text);
    }
    if (!names_us) {
      return failure{
          reason::audience_mismatch,
          seen.empty() ? "Audience missing" : log_safe(seen) + " is not " + s.expect.sp_entity_id};
    }
  }
  return {};
}

}  // namespace varco::saml::checks
