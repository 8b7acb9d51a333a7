// The records RULES.md §5 asks for, as typed structs, so every caller writes the same members.
// Empty strings are written as they are (an absent value is still a fact worth keeping: e.g. a
// Response rejected before its Assertion was read has no assertion_id).
#pragma once

#include "saml/audit/audit_log.hpp"

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include <string>

namespace varco::saml::audit {

// One AuthnRequest/Response pair, written once the Response is accepted or rejected.
struct authn_entry {
  std::string idp_entity_id;
  std::string request_id;
  std::string request_issue_instant;
  std::string request_xml;  // the AuthnRequest as sent (before deflate/base64)
  std::string response_id;
  std::string response_issue_instant;
  std::string response_issuer;
  std::string response_xml;  // the Response as received (decoded from base64)
  std::string assertion_id;
  std::string name_id;
  std::string name_qualifier;
  std::string fiscal_number;
  std::string authn_context;  // the SpidL level asserted
  std::string outcome;        // "success" or "rejected"
  std::string reason_code;  // why rejected (validator reason or SPID ErrorCode nrNN); "" on success
  std::string client_address;
};

enum class logout_direction { sp_initiated, idp_initiated };

// One logout exchange: our LogoutRequest and the IdP's LogoutResponse, or the IdP's
// LogoutRequest and our LogoutResponse.
struct logout_entry {
  logout_direction direction = logout_direction::sp_initiated;
  std::string idp_entity_id;
  std::string request_id;
  std::string request_xml;
  std::string response_id;
  std::string response_xml;
  std::string name_id;
  std::string name_qualifier;
  std::string session_index;
  std::string outcome;  // SAML status, or "local_only" when the IdP never answered
  std::string reason_code;
  std::string client_address;
};

boost::json::object to_fields(const authn_entry& e);
boost::json::object to_fields(const logout_entry& e);
const char* kind_of(const logout_entry& e);  // "logout_sp" or "logout_idp"

inline boost::system::result<record_ref> append(audit_log& log, const authn_entry& e) {
  return log.append("authn", to_fields(e));
}
inline boost::system::result<record_ref> append(audit_log& log, const logout_entry& e) {
  return log.append(kind_of(e), to_fields(e));
}

}  // namespace varco::saml::audit
