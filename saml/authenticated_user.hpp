// Who logged in: what a Response that passed every check of validate_response says about the
// user, and the identifiers the gateway needs for the session, the replay cache, SLO and audit.
#pragma once

#include "saml/pending_request.hpp"

#include <map>
#include <string>

namespace varco::saml {

struct authenticated_user {
  // SPID attribute names as the IdP sent them (fiscalNumber, name, familyName, ...), each with its
  // single value. fiscalNumber is stored WITHOUT the "TINIT-" prefix the IdPs put in front.
  std::map<std::string, std::string, std::less<>> attributes;
  std::string name_id;         // transient NameID (SLO needs it)
  std::string name_qualifier;  // its NameQualifier
  std::string session_index;   // AuthnStatement SessionIndex; empty when the IdP omitted it
  int level = 0;               // 1..3, from AuthnContextClassRef
  std::string issuer;          // the IdP entityID
  std::string response_id;
  std::string assertion_id;
  sys_millis response_issue_instant{};
  // The instant from which validate_response refuses this assertion anyway: the earlier of the
  // SubjectConfirmationData and Conditions NotOnOrAfter, plus the clock skew. The replay cache
  // must remember assertion_id until then (a shorter TTL would reopen a replay window).
  sys_millis assertion_not_on_or_after{};

  bool operator==(const authenticated_user&) const = default;
};

}  // namespace varco::saml
