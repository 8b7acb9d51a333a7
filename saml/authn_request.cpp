#include "saml/authn_request.hpp"

#include "base/base64.hpp"
#include "base/hex.hpp"
#include "base/random.hpp"
#include "saml/post_form.hpp"
#include "saml/redirect_binding.hpp"
#include "saml/xml_document.hpp"
#include "saml/xml_names.hpp"
#include "saml/xml_signature.hpp"
#include "saml/xml_tree_builder.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace varco::saml {
namespace {

constexpr std::string_view nameid_entity = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
constexpr std::string_view nameid_transient = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
constexpr std::string_view spid_level_prefix = "https://www.spid.gov.it/SpidL";

failure refused(std::string detail) { return failure{reason::internal_error, std::move(detail)}; }

bool comparison_allowed(const std::string& comparison, provider_kind kind) {
  if (comparison == "exact" || comparison == "minimum") return true;
  // CIE ID accepts only these two (RULES.md §2).
  return kind == provider_kind::spid && (comparison == "better" || comparison == "maximum");
}

// Everything that does not depend on the document: refused before anything is built.
outcome<const idp_endpoint*> check_params(const sp_profile& profile,
                                          const authn_request_params& params) {
  if (!profile.credentials) return refused("the SP profile has no signing credentials");
  if (params.idp == nullptr) return refused("no IdP given");
  if (params.binding != binding_redirect && params.binding != binding_post) {
    return refused("unknown binding " + params.binding);
  }
  const idp_endpoint* sso = params.idp->sso(params.binding);
  if (sso == nullptr) {
    return refused("IdP " + params.idp->entity_id + " has no SingleSignOnService for " +
                   params.binding);
  }
  if (params.level < 1 || params.level > 3) {
    return refused("level " + std::to_string(params.level) + " is not SpidL1..3");
  }
  if (!comparison_allowed(params.comparison, params.kind)) {
    return refused("comparison \"" + params.comparison + "\" is not allowed for " +
                   std::string(to_string(params.kind)));
  }
  if (profile.attribute_service(params.attribute_service_index) == nullptr) {
    return refused("attribute service " + std::to_string(params.attribute_service_index) +
                   " is not in the SP metadata");
  }
  if (params.acs_index != 0) {
    return refused("AssertionConsumerService " + std::to_string(params.acs_index) +
                   " is not in the SP metadata (only index 0)");
  }
  return sso;
}

struct request_tree {
  xml_document doc;
  xmlNodePtr root = nullptr;
  xmlNodePtr issuer = nullptr;
};

outcome<request_tree> build_tree(const sp_profile& profile, const authn_request_params& params,
                                 const std::string& id, const std::string& destination) {
  request_tree tree{xml_document{xml_doc_ptr(xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0")))}};
  if (tree.doc.get() == nullptr) return refused("cannot allocate the AuthnRequest document");
  xml_tree_builder b(tree.doc.get());
  xmlNodePtr root = b.element(nullptr, nullptr, "AuthnRequest");
  if (root == nullptr) return refused("cannot allocate the AuthnRequest document");
  xmlDocSetRootElement(tree.doc.get(), root);
  xmlNsPtr samlp = b.declare(root, ns::samlp, "samlp");
  xmlNsPtr saml = b.declare(root, ns::saml, "saml");
  xmlSetNs(root, samlp);
  b.attribute(root, "ID", id);
  b.attribute(root, "Version", "2.0");
  b.attribute(root, "IssueInstant", format_saml_instant(params.now));
  b.attribute(root, "Destination", destination);
  if (params.level >= 2 || params.kind == provider_kind::cie)
    b.attribute(root, "ForceAuthn", "true");
  b.attribute(root, "AssertionConsumerServiceIndex", std::to_string(params.acs_index));
  b.attribute(root, "AttributeConsumingServiceIndex",
              std::to_string(params.attribute_service_index));

  xmlNodePtr issuer = b.text_element(root, saml, "Issuer", profile.entity_id);
  b.attribute(issuer, "Format", nameid_entity);
  b.attribute(issuer, "NameQualifier", profile.entity_id);

  xmlNodePtr policy = b.element(root, samlp, "NameIDPolicy");  // no AllowCreate (SPID)
  b.attribute(policy, "Format", nameid_transient);

  xmlNodePtr context = b.element(root, samlp, "RequestedAuthnContext");
  b.attribute(context, "Comparison", params.comparison);
  b.text_element(context, saml, "AuthnContextClassRef",
                 std::string(spid_level_prefix) + std::to_string(params.level));
  if (b.failed()) return refused("cannot build the AuthnRequest tree (out of memory)");
  tree.root = root;
  tree.issuer = issuer;
  return tree;
}

}  // namespace

std::string new_request_id() {
  // Guessable request IDs would let an attacker pre-compute InResponseTo values: fill_random
  // aborts rather than carry on with a broken CSPRNG.
  std::array<unsigned char, 16> random{};
  base::fill_random(random);
  return "_" + base::hex(random);
}

std::string format_saml_instant(sys_millis instant) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(instant);
  const auto millis = (instant - seconds).count();
  const std::time_t t = std::chrono::system_clock::to_time_t(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  // 24 characters for any real date; sized for every int the fields could hold (GCC's
  // -Wformat-truncation, which the TSan build reports, cannot know tm's ranges).
  std::array<char, 96> out{};
  std::snprintf(out.data(), out.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return out.data();
}

outcome<built_authn_request> build_authn_request(const sp_profile& profile,
                                                 const authn_request_params& params) {
  auto sso = check_params(profile, params);
  if (!sso) return sso.error();
  const std::string& location = (*sso)->location;

  built_authn_request built;
  built.id = new_request_id();
  built.issue_instant = params.now;
  auto tree = build_tree(profile, params, built.id, location);
  if (!tree) return tree.error();

  if (params.binding == binding_redirect) {
    // The Redirect binding signs the query string; an XML signature would be redundant and
    // enlarge the URL past what some browsers accept.
    built.xml = tree->doc.serialize();
    auto query = make_signed_redirect_query("SAMLRequest", built.xml, params.relay_state,
                                            *profile.credentials);
    if (!query) return query.error();
    // An SSO URL may carry its own query (some IdPs route by it): append, do not replace.
    const char separator = location.find('?') == std::string::npos ? '?' : '&';
    built.redirect_url = location + separator + *query;
    return built;
  }

  if (auto signed_ok = sign_enveloped(tree->doc, tree->root, *profile.credentials, tree->issuer);
      !signed_ok) {
    failure f = signed_ok.error();
    f.detail = "signing the AuthnRequest: " + f.detail;
    return f;
  }
  built.xml = tree->doc.serialize();
  built.post_form_html = render_post_form(
      {location, "SAMLRequest", base::base64_encode(built.xml), params.relay_state});
  return built;
}

}  // namespace varco::saml
