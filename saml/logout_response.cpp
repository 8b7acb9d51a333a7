#include "saml/logout_response.hpp"

#include "saml/authn_request.hpp"  // new_request_id
#include "saml/logout_messages.hpp"
#include "saml/xml_names.hpp"
#include "saml/xml_tree_builder.hpp"

#include <utility>

namespace varco::saml {
namespace {

failure refused(reason code, std::string detail) { return failure{code, std::move(detail)}; }

// The LogoutResponse-specific checks, after the common ones.
outcome<logout_response_info> read_response(logout::incoming_message& message) {
  logout_response_info out;
  out.issuer = message.idp->entity_id;
  out.relay_state = std::move(message.relay_state);

  auto in_response_to = attribute(message.root, "InResponseTo");
  if (!in_response_to || in_response_to->empty()) {
    return refused(reason::logout_in_response_to_missing, "no InResponseTo");
  }
  out.in_response_to = std::move(*in_response_to);

  auto status = logout::single_child(message.root, ns::samlp, "Status");
  if (!status) return status.error();
  if (*status == nullptr) return refused(reason::logout_status_missing, "no samlp:Status");
  auto code = logout::single_child(*status, ns::samlp, "StatusCode");
  if (!code) return code.error();
  auto value = *code == nullptr ? std::nullopt : attribute(*code, "Value");
  if (!value || value->empty()) {
    return refused(reason::logout_status_missing, "no StatusCode Value");
  }
  out.status = std::move(*value);
  auto sub_code = logout::single_child(*code, ns::samlp, "StatusCode");
  if (!sub_code) return sub_code.error();
  if (*sub_code != nullptr) out.sub_status = attribute(*sub_code, "Value").value_or("");

  out.success =
      out.status == logout::status_success || out.sub_status == logout::status_partial_logout;
  return out;
}

logout::expectations response_expectations(const idp_set& idps, std::string_view destination,
                                           sys_millis now, std::chrono::milliseconds skew) {
  return logout::expectations{"LogoutResponse", idps, destination, now, skew};
}

}  // namespace

outcome<logout_response_info> read_logout_response_redirect(std::string_view raw_query,
                                                            const idp_set& idps,
                                                            std::string_view expected_destination,
                                                            sys_millis now,
                                                            std::chrono::milliseconds skew) {
  auto message = logout::read_redirect(
      raw_query, "SAMLResponse", response_expectations(idps, expected_destination, now, skew));
  if (!message) return message.error();
  return read_response(*message);
}

outcome<logout_response_info> read_logout_response_post(std::string_view saml_response_b64,
                                                        const idp_set& idps,
                                                        std::string_view expected_destination,
                                                        sys_millis now,
                                                        std::chrono::milliseconds skew) {
  auto message = logout::read_post(saml_response_b64,
                                   response_expectations(idps, expected_destination, now, skew));
  if (!message) return message.error();
  return read_response(*message);
}

outcome<built_logout_response> build_logout_response(const sp_profile& sp,
                                                     const idp_descriptor& idp,
                                                     std::string_view in_response_to,
                                                     std::string_view status, sys_millis now,
                                                     const std::string& binding,
                                                     const std::string& relay_state) {
  if (in_response_to.empty()) return refused(reason::internal_error, "no InResponseTo given");
  if (status.empty()) status = "Success";
  const std::string status_uri = status.starts_with("urn:")
                                     ? std::string(status)
                                     : std::string(logout::status_prefix) + std::string(status);
  auto endpoint = logout::choose_endpoint(idp, binding);
  if (!endpoint) return endpoint.error();

  built_logout_response built;
  built.id = new_request_id();
  built.binding = (*endpoint)->binding;
  // SAML metadata §2.2.2: responses go to ResponseLocation when the IdP gives one.
  const std::string& location = (*endpoint)->response_location.empty()
                                    ? (*endpoint)->location
                                    : (*endpoint)->response_location;

  xmlNsPtr samlp = nullptr;
  xmlNsPtr saml = nullptr;
  auto message =
      logout::start_message("LogoutResponse", sp, built.id, now, location, &samlp, &saml);
  if (!message) return message.error();
  xml_tree_builder b(message->doc.get());
  b.attribute(message->root, "InResponseTo", in_response_to);
  xmlNodePtr status_element = b.element(message->root, samlp, "Status");
  xmlNodePtr code = b.element(status_element, samlp, "StatusCode");
  b.attribute(code, "Value", status_uri);
  if (b.failed()) return refused(reason::internal_error, "cannot build the LogoutResponse");

  auto sent = logout::send(*message, "SAMLResponse", built.binding, location, relay_state, sp);
  if (!sent) return sent.error();
  built.xml = std::move(sent->xml);
  built.redirect_url = std::move(sent->redirect_url);
  built.post_form_html = std::move(sent->post_form_html);
  return built;
}

}  // namespace varco::saml
