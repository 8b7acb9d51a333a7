#include "saml/audit/audit_entries.hpp"

namespace varco::saml::audit {

boost::json::object to_fields(const authn_entry& e) {
  return {{"idp", e.idp_entity_id},
          {"request_id", e.request_id},
          {"request_issue_instant", e.request_issue_instant},
          {"response_id", e.response_id},
          {"response_issue_instant", e.response_issue_instant},
          {"response_issuer", e.response_issuer},
          {"assertion_id", e.assertion_id},
          {"name_id", e.name_id},
          {"name_qualifier", e.name_qualifier},
          {"fiscal_number", e.fiscal_number},
          {"authn_context", e.authn_context},
          {"outcome", e.outcome},
          {"reason_code", e.reason_code},
          {"client_address", e.client_address},
          // The messages last: the short members above stay readable at the start of the line.
          {"request_xml", e.request_xml},
          {"response_xml", e.response_xml}};
}

boost::json::object to_fields(const logout_entry& e) {
  return {{"idp", e.idp_entity_id},
          {"request_id", e.request_id},
          {"response_id", e.response_id},
          {"name_id", e.name_id},
          {"name_qualifier", e.name_qualifier},
          {"session_index", e.session_index},
          {"outcome", e.outcome},
          {"reason_code", e.reason_code},
          {"client_address", e.client_address},
          {"request_xml", e.request_xml},
          {"response_xml", e.response_xml}};
}

const char* kind_of(const logout_entry& e) {
  return e.direction == logout_direction::sp_initiated ? "logout_sp" : "logout_idp";
}

}  // namespace varco::saml::audit
