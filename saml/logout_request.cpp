#include "saml/logout_request.hpp"

#include "saml/authn_request.hpp"  // new_request_id
#include "saml/logout_messages.hpp"
#include "saml/response_checks.hpp"  // parse_utc_instant
#include "saml/xml_names.hpp"
#include "saml/xml_tree_builder.hpp"

#include <utility>

namespace varco::saml {
namespace {

failure refused(reason code, std::string detail) { return failure{code, std::move(detail)}; }

// The LogoutRequest-specific checks, after the common ones.
outcome<idp_logout_request> read_request(logout::incoming_message& message, sys_millis now,
                                         std::chrono::milliseconds skew) {
  idp_logout_request out;
  out.id = message.id;
  out.idp = message.idp;
  out.issuer = message.idp->entity_id;
  out.relay_state = std::move(message.relay_state);

  // NotOnOrAfter is optional; once passed, the IdP itself considers the request void.
  if (auto limit = attribute(message.root, "NotOnOrAfter")) {
    auto instant = checks::parse_utc_instant(*limit);
    if (!instant) return refused(reason::logout_expired, "malformed NotOnOrAfter " + *limit);
    if (*instant + skew <= now) {
      return refused(reason::logout_expired, "NotOnOrAfter " + *limit + " has passed");
    }
  }

  // An EncryptedID would need our decryption key; SPID IdPs send a plain transient NameID.
  auto name_id = logout::single_child(message.root, ns::saml, "NameID");
  if (!name_id) return name_id.error();
  if (*name_id == nullptr) return refused(reason::logout_name_id_missing, "no saml:NameID");
  auto text = strict_text(*name_id);
  if (!text) return text.error();
  if (text->empty()) return refused(reason::logout_name_id_missing, "empty saml:NameID");
  out.name_id = std::move(*text);
  out.name_qualifier = attribute(*name_id, "NameQualifier").value_or("");

  for (const xmlNode* index : children(message.root, ns::samlp, "SessionIndex")) {
    auto value = strict_text(index);
    if (!value) return value.error();
    out.session_indexes.push_back(std::move(*value));
  }
  return out;
}

logout::expectations request_expectations(const idp_set& idps, std::string_view destination,
                                          sys_millis now, std::chrono::milliseconds skew) {
  return logout::expectations{"LogoutRequest", idps, destination, now, skew};
}

}  // namespace

outcome<built_logout_request> build_logout_request(const sp_profile& sp,
                                                   const logout_request_params& params) {
  if (params.idp == nullptr) return refused(reason::internal_error, "no IdP given");
  if (params.name_id.empty()) return refused(reason::internal_error, "no NameID given");
  auto endpoint = logout::choose_endpoint(*params.idp, params.binding);
  if (!endpoint) return endpoint.error();

  built_logout_request built;
  built.id = new_request_id();
  built.issue_instant = params.now;
  built.binding = (*endpoint)->binding;
  const std::string& location = (*endpoint)->location;

  xmlNsPtr samlp = nullptr;
  xmlNsPtr saml = nullptr;
  auto message =
      logout::start_message("LogoutRequest", sp, built.id, params.now, location, &samlp, &saml);
  if (!message) return message.error();
  xml_tree_builder b(message->doc.get());
  xmlNodePtr name_id = b.text_element(message->root, saml, "NameID", params.name_id);
  b.attribute(name_id, "Format", logout::name_id_transient);
  b.attribute(name_id, "NameQualifier",
              params.name_qualifier.empty() ? params.idp->entity_id : params.name_qualifier);
  if (!params.session_index.empty()) {
    b.text_element(message->root, samlp, "SessionIndex", params.session_index);
  }
  if (b.failed()) return refused(reason::internal_error, "cannot build the LogoutRequest");

  auto sent =
      logout::send(*message, "SAMLRequest", built.binding, location, params.relay_state, sp);
  if (!sent) return sent.error();
  built.xml = std::move(sent->xml);
  built.redirect_url = std::move(sent->redirect_url);
  built.post_form_html = std::move(sent->post_form_html);
  return built;
}

outcome<idp_logout_request> read_logout_request_redirect(std::string_view raw_query,
                                                         const idp_set& idps,
                                                         std::string_view expected_destination,
                                                         sys_millis now,
                                                         std::chrono::milliseconds skew) {
  auto message = logout::read_redirect(raw_query, "SAMLRequest",
                                       request_expectations(idps, expected_destination, now, skew));
  if (!message) return message.error();
  return read_request(*message, now, skew);
}

outcome<idp_logout_request> read_logout_request_post(std::string_view saml_request_b64,
                                                     const idp_set& idps,
                                                     std::string_view expected_destination,
                                                     sys_millis now,
                                                     std::chrono::milliseconds skew) {
  auto message = logout::read_post(saml_request_b64,
                                   request_expectations(idps, expected_destination, now, skew));
  if (!message) return message.error();
  return read_request(*message, now, skew);
}

}  // namespace varco::saml
