#include "saml/logout_messages.hpp"

#include "base/base64.hpp"
#include "saml/authn_request.hpp"  // format_saml_instant
#include "saml/post_form.hpp"
#include "saml/redirect_binding.hpp"
#include "saml/response_checks.hpp"  // parse_utc_instant
#include "saml/xml_names.hpp"
#include "saml/xml_signature.hpp"
#include "saml/xml_tree_builder.hpp"

#include <utility>

namespace varco::saml::logout {
namespace {

failure refused(reason code, std::string detail) { return failure{code, std::move(detail)}; }

// Checks 2 and 3: parse and root element.
outcome<incoming_message> parse_message(std::string_view xml, const expectations& expect) {
  auto doc = parse_untrusted_xml(xml, parse_limits{max_message_bytes});
  if (!doc) return doc.error();
  if (auto ids = register_ids_unique(*doc); !ids) return ids.error();
  incoming_message message;
  message.root = doc->root();
  if (!is_element(message.root, ns::samlp, expect.root_name)) {
    return refused(reason::logout_wrong_message, "expected samlp:" + std::string(expect.root_name));
  }
  message.doc.emplace(std::move(*doc));
  return message;
}

// Check 4: the Issuer names a loaded IdP. Read before the signature because its certificates are
// the only keys the signature may verify with; nothing else is read until it has.
outcome<void> check_issuer(incoming_message& message, const expectations& expect) {
  auto issuer = single_child(message.root, ns::saml, "Issuer");
  if (!issuer) return issuer.error();
  if (*issuer == nullptr) return refused(reason::logout_unknown_issuer, "no saml:Issuer");
  auto name = strict_text(*issuer);
  if (!name) return name.error();
  if (auto format = attribute(*issuer, "Format"); format && *format != name_id_entity) {
    return refused(reason::logout_issuer_format, "Issuer Format " + *format);
  }
  message.idp = expect.idps.find(*name);
  if (message.idp == nullptr) {
    return refused(reason::logout_unknown_issuer, "Issuer " + *name + " is not a loaded IdP");
  }
  return {};
}

// Checks 6–8, on the verified message.
outcome<void> check_header(incoming_message& message, const expectations& expect) {
  auto id = attribute(message.root, "ID");
  if (!id || id->empty()) return refused(reason::logout_id_missing, "no ID");
  message.id = *id;
  if (attribute(message.root, "Version") != "2.0") {
    return refused(reason::logout_version, "Version is not 2.0");
  }

  auto instant_text = attribute(message.root, "IssueInstant");
  if (!instant_text) return refused(reason::logout_issue_instant_malformed, "no IssueInstant");
  auto instant = checks::parse_utc_instant(*instant_text);
  if (!instant) {
    return refused(reason::logout_issue_instant_malformed, "IssueInstant " + *instant_text);
  }
  if (*instant > expect.now + expect.skew) {
    return refused(reason::logout_issue_instant_future,
                   "IssueInstant " + *instant_text + " is in the future");
  }
  if (*instant < expect.now - expect.skew) {
    return refused(reason::logout_issue_instant_stale,
                   "IssueInstant " + *instant_text + " is older than the clock skew");
  }
  message.issue_instant = *instant;

  auto destination = attribute(message.root, "Destination");
  if (!destination || *destination != expect.destination) {
    return refused(reason::logout_destination_mismatch,
                   "Destination " + destination.value_or("(absent)") + " is not " +
                       std::string(expect.destination));
  }
  return {};
}

}  // namespace

outcome<xmlNodePtr> single_child(const xmlNode* parent, std::string_view ns,
                                 std::string_view local) {
  auto found = children(parent, ns, local);
  if (found.size() > 1) {
    return refused(reason::element_duplicated, std::string(local) + " appears more than once");
  }
  return found.empty() ? nullptr : found.front();
}

outcome<incoming_message> read_redirect(std::string_view raw_query, std::string_view param,
                                        const expectations& expect) {
  // Decoded without verification only to learn the Issuer, whose keys then verify the query;
  // the XML read afterwards is the one the verified query carries.
  auto unverified = decode_redirect_query(raw_query, max_message_bytes);
  if (!unverified) return unverified.error();
  if (unverified->param != param) {
    return refused(reason::logout_wrong_message, "expected " + std::string(param));
  }
  auto message = parse_message(unverified->xml, expect);
  if (!message) return message.error();
  if (auto issuer = check_issuer(*message, expect); !issuer) return issuer.error();

  auto verified =
      verify_redirect_query(raw_query, message->idp->signing_certificates, max_message_bytes);
  if (!verified) return verified.error();
  if (verified->xml != unverified->xml || verified->param != unverified->param) {
    // Both come from the same query; a difference would be a decoder bug, not an attack.
    return refused(reason::internal_error, "verified and decoded query differ");
  }
  message->relay_state = std::move(verified->relay_state);
  if (auto header = check_header(*message, expect); !header) return header.error();
  return message;
}

outcome<incoming_message> read_post(std::string_view base64_message, const expectations& expect) {
  auto xml = decode_base64(base64_message, max_message_bytes);
  if (!xml) return xml.error();
  auto message = parse_message(*xml, expect);
  if (!message) return message.error();
  if (auto issuer = check_issuer(*message, expect); !issuer) return issuer.error();
  if (!has_signature(message->root)) {
    return refused(reason::signature_missing, "the POST binding requires a signed message");
  }
  if (auto verified = verify_enveloped_signature(*message->doc, message->root,
                                                 message->idp->signing_certificates);
      !verified) {
    return verified.error();
  }
  if (auto header = check_header(*message, expect); !header) return header.error();
  return message;
}

outcome<const idp_endpoint*> choose_endpoint(const idp_descriptor& idp, std::string_view binding) {
  const std::string_view preferred = binding.empty() ? binding_redirect : binding;
  if (preferred != binding_redirect && preferred != binding_post) {
    return refused(reason::internal_error, "unknown binding " + std::string(binding));
  }
  const std::string_view other = preferred == binding_redirect ? binding_post : binding_redirect;
  if (const idp_endpoint* e = idp.slo(preferred)) return e;
  if (const idp_endpoint* e = idp.slo(other)) return e;
  return refused(reason::logout_no_slo_service,
                 idp.entity_id + " lists no SingleLogoutService (HTTP-Redirect or HTTP-POST)");
}

outcome<outgoing_message> start_message(const char* name, const sp_profile& sp,
                                        const std::string& id, sys_millis now,
                                        const std::string& destination, xmlNsPtr* samlp_ns,
                                        xmlNsPtr* saml_ns) {
  outgoing_message message{
      xml_document{xml_doc_ptr(xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0")))}};
  if (message.doc.get() == nullptr) return refused(reason::internal_error, "out of memory");
  xml_tree_builder b(message.doc.get());
  xmlNodePtr root = b.element(nullptr, nullptr, name);
  if (root == nullptr) return refused(reason::internal_error, "out of memory");
  xmlDocSetRootElement(message.doc.get(), root);
  xmlNsPtr samlp = b.declare(root, ns::samlp, "samlp");
  xmlNsPtr saml = b.declare(root, ns::saml, "saml");
  xmlSetNs(root, samlp);
  b.attribute(root, "ID", id);
  b.attribute(root, "Version", "2.0");
  b.attribute(root, "IssueInstant", format_saml_instant(now));
  b.attribute(root, "Destination", destination);
  xmlNodePtr issuer = b.text_element(root, saml, "Issuer", sp.entity_id);
  b.attribute(issuer, "Format", name_id_entity);
  b.attribute(issuer, "NameQualifier", sp.entity_id);
  if (b.failed()) return refused(reason::internal_error, "cannot build the logout message");
  message.root = root;
  message.issuer = issuer;
  *samlp_ns = samlp;
  *saml_ns = saml;
  return message;
}

outcome<sent_message> send(outgoing_message& message, std::string_view param,
                           std::string_view binding, const std::string& location,
                           const std::string& relay_state, const sp_profile& sp) {
  if (!sp.credentials) {
    return refused(reason::internal_error, "the SP profile has no signing credentials");
  }
  sent_message sent;
  if (binding == binding_redirect) {
    sent.xml = message.doc.serialize();
    auto query = make_signed_redirect_query(param, sent.xml, relay_state, *sp.credentials);
    if (!query) return query.error();
    const char separator = location.find('?') == std::string::npos ? '?' : '&';
    sent.redirect_url = location + separator + *query;
    return sent;
  }
  if (auto signed_ok = sign_enveloped(message.doc, message.root, *sp.credentials, message.issuer);
      !signed_ok) {
    failure f = signed_ok.error();
    f.detail = "signing the " + std::string(param) + ": " + f.detail;
    return f;
  }
  sent.xml = message.doc.serialize();
  sent.post_form_html =
      render_post_form({location, std::string(param), base::base64_encode(sent.xml), relay_state});
  return sent;
}

}  // namespace varco::saml::logout
