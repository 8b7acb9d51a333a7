// The SP's AuthnRequest (RULES.md §2), ready to send through the HTTP-Redirect or HTTP-POST
// binding.
//
// Pure apart from new_request_id() (OpenSSL's CSPRNG): the caller passes the instant, so the
// login endpoint records exactly the IssueInstant it sent in the pending request. Thread-safe.
#pragma once

#include "saml/errors.hpp"
#include "saml/idp.hpp"
#include "saml/pending_request.hpp"
#include "saml/sp_profile.hpp"

#include <string>

namespace varco::saml {

struct authn_request_params {
  const idp_descriptor* idp = nullptr;
  provider_kind kind = provider_kind::spid;
  int level = 2;                       // SpidL1..3
  std::string comparison = "minimum";  // exact|minimum|better|maximum (CIE: exact|minimum)
  unsigned attribute_service_index = 0;
  unsigned acs_index = 0;  // the metadata has one ACS, index 0
  sys_millis now{};
  std::string binding = std::string(binding_redirect);  // binding_redirect or binding_post
  std::string relay_state;                              // opaque server-side key, never a URL
};

struct built_authn_request {
  std::string id;
  sys_millis issue_instant{};
  std::string xml;  // as sent: unsigned for Redirect (the query is signed), signed for POST
  std::string redirect_url;    // Redirect: the IdP SSO location + "?"/"&" + the signed query
  std::string post_form_html;  // POST: the auto-submitting page (saml/post_form.hpp)
};

// Fails with internal_error (detail says why) when: the IdP is null or has no SingleSignOnService
// for the binding, the binding is neither Redirect nor POST, the level is not 1..3, the comparison
// is not allowed (CIE: exact|minimum), the attribute service index is not in the profile, the
// ACS index is not 0, or signing fails.
outcome<built_authn_request> build_authn_request(const sp_profile& profile,
                                                 const authn_request_params& params);

// "_" + 32 lowercase hex digits from RAND_bytes: 128 unguessable bits, and a valid xs:ID (an
// NCName cannot start with a digit). Aborts if the CSPRNG fails: predictable IDs would be worse.
std::string new_request_id();

// xs:dateTime in UTC with milliseconds: "2024-05-01T08:30:00.123Z".
std::string format_saml_instant(sys_millis instant);

}  // namespace varco::saml
