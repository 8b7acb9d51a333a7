// The user's attributes from OpenID Connect claims, under the names of the SPID attribute set
// that the sessions, claims and policies already use (a SAML login and an OpenID Connect login
// of the same person give the same session attributes).
#pragma once

#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <string_view>

namespace varco::oidc {

// given_name → name, family_name → familyName, email, phone_number → mobilePhone,
// birthdate → dateOfBirth, https://attributes.eid.gov.it/spid_code → spidCode, and the claim
// `fiscal_number_claim` → fiscalNumber without its "TINIT-" prefix. String claims only; the
// others are left out.
std::map<std::string, std::string> session_attributes(const boost::json::object& claims,
                                                      std::string_view fiscal_number_claim);

}  // namespace varco::oidc
