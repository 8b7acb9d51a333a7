#include "saml/idp_metadata.hpp"

#include "saml/response_checks.hpp"
#include "saml/xml_document.hpp"
#include "saml/xml_names.hpp"
#include "saml/xml_signature.hpp"

#include <libxml/tree.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

namespace varco::saml {
namespace {

// validUntil, when present, must be a well-formed instant still in the future; cacheDuration,
// when present, a well-formed duration. Each tightens `timing`.
outcome<void> check_timing(const xmlNode* element, sys_millis now, std::string_view what,
                           metadata_timing& timing) {
  if (auto valid_until = attribute(element, "validUntil")) {
    auto instant = checks::parse_utc_instant(*valid_until);
    if (!instant) {
      return failure{reason::metadata_invalid,
                     std::string(what) + ": malformed validUntil '" + *valid_until + "'"};
    }
    if (*instant <= now) {
      return failure{reason::metadata_expired,
                     std::string(what) + ": validUntil " + *valid_until + " has passed"};
    }
    timing.valid_until = std::min(timing.valid_until.value_or(*instant), *instant);
  }
  if (auto cache_duration = attribute(element, "cacheDuration")) {
    auto length = parse_xml_duration(*cache_duration);
    if (!length) {
      return failure{reason::metadata_invalid,
                     std::string(what) + ": malformed cacheDuration '" + *cache_duration + "'"};
    }
    timing.cache_duration = std::min(timing.cache_duration.value_or(*length), *length);
  }
  return {};
}

// xml:lang (attribute() reads only attributes without a namespace).
std::string xml_lang(const xmlNode* element) {
  const std::string xml_ns(ns::xml);
  xml_string_ptr value(xmlGetNsProp(element, reinterpret_cast<const xmlChar*>("lang"),
                                    reinterpret_cast<const xmlChar*>(xml_ns.c_str())));
  return value ? std::string(reinterpret_cast<const char*>(value.get())) : std::string();
}

// OrganizationDisplayName in Italian, else English, else any language, else nothing.
std::string display_name_of(const xmlNode* entity) {
  const xmlNode* organization = first_child(entity, ns::md, "Organization");
  if (organization == nullptr) return {};
  std::string it, en, any;
  for (const xmlNode* name : children(organization, ns::md, "OrganizationDisplayName")) {
    auto text = strict_text(name);
    if (!text || text->empty()) continue;
    const auto lang = xml_lang(name);
    if (lang == "it" && it.empty()) it = *text;
    if (lang == "en" && en.empty()) en = *text;
    if (any.empty()) any = *text;
  }
  if (!it.empty()) return it;
  if (!en.empty()) return en;
  return any;
}

// KeyDescriptor use="signing" or without use (then it serves both); "encryption" keys are not
// signing keys.
outcome<std::vector<certificate>> signing_certificates_of(const xmlNode* sso,
                                                          const std::string& entity_id) {
  std::vector<certificate> out;
  for (const xmlNode* key : children(sso, ns::md, "KeyDescriptor")) {
    auto use = attribute(key, "use");
    if (use && *use != "signing") continue;
    const xmlNode* info = first_child(key, ns::ds, "KeyInfo");
    if (info == nullptr) continue;
    for (const xmlNode* data : children(info, ns::ds, "X509Data")) {
      for (const xmlNode* cert : children(data, ns::ds, "X509Certificate")) {
        auto text = strict_text(cert);
        if (!text) continue;
        auto parsed = certificate::from_base64_der(*text);
        if (!parsed) {
          return failure{reason::metadata_invalid,
                         entity_id + ": unreadable signing certificate: " + parsed.error().detail};
        }
        out.push_back(std::move(*parsed));
      }
    }
  }
  return out;
}

// Endpoints with a binding we speak (Redirect, POST); SOAP and artifact ones are ignored.
std::vector<idp_endpoint> endpoints_of(const xmlNode* sso, std::string_view element) {
  std::vector<idp_endpoint> out;
  for (const xmlNode* e : children(sso, ns::md, element)) {
    auto binding = attribute(e, "Binding");
    auto location = attribute(e, "Location");
    if (!binding || !location || location->empty()) continue;
    if (*binding != binding_redirect && *binding != binding_post) continue;
    idp_endpoint endpoint;
    endpoint.binding = *binding;
    endpoint.location = *location;
    if (auto response = attribute(e, "ResponseLocation")) endpoint.response_location = *response;
    out.push_back(std::move(endpoint));
  }
  return out;
}

// The first IDPSSODescriptor that speaks SAML 2.0 (a role for SAML 1.1 or Shibboleth 1.3 only is
// not an IdP varco can talk to), or null.
const xmlNode* saml2_idp_role(const xmlNode* entity) {
  for (const xmlNode* role : children(entity, ns::md, "IDPSSODescriptor")) {
    const auto protocols = attribute(role, "protocolSupportEnumeration").value_or("");
    std::size_t start = 0;
    while (start < protocols.size()) {
      std::size_t end = protocols.find_first_of(" \t\r\n", start);
      if (end == std::string::npos) end = protocols.size();
      if (std::string_view(protocols).substr(start, end - start) == ns::samlp) return role;
      start = end + 1;
    }
  }
  return nullptr;
}

// One EntityDescriptor: nullopt when it describes no IdP (skipped), a failure when it describes
// one varco could not use.
outcome<std::optional<idp_descriptor>> read_entity(const xmlNode* entity, provider_kind kind,
                                                   sys_millis now, metadata_timing& timing) {
  auto entity_id = attribute(entity, "entityID");
  if (!entity_id || entity_id->empty()) {
    return failure{reason::metadata_invalid, "EntityDescriptor without entityID"};
  }
  const xmlNode* sso = saml2_idp_role(entity);
  if (sso == nullptr) return std::optional<idp_descriptor>{};

  if (auto valid = check_timing(entity, now, *entity_id, timing); !valid) return valid.error();
  if (auto valid = check_timing(sso, now, *entity_id, timing); !valid) return valid.error();

  idp_descriptor idp;
  idp.entity_id = *entity_id;
  idp.kind = kind;
  auto certs = signing_certificates_of(sso, idp.entity_id);
  if (!certs) return certs.error();
  if (certs->empty()) {
    return failure{reason::metadata_invalid, idp.entity_id + ": IdP without a signing certificate"};
  }
  idp.signing_certificates = std::move(*certs);
  idp.single_sign_on = endpoints_of(sso, "SingleSignOnService");
  if (idp.single_sign_on.empty()) {
    return failure{
        reason::metadata_invalid,
        idp.entity_id + ": IdP without a SingleSignOnService (HTTP-Redirect or HTTP-POST)"};
  }
  idp.single_logout = endpoints_of(sso, "SingleLogoutService");
  idp.display_name = display_name_of(entity);
  if (idp.display_name.empty()) idp.display_name = idp.entity_id;
  return std::optional<idp_descriptor>{std::move(idp)};
}

}  // namespace

outcome<idp_metadata> read_idp_metadata(std::string_view xml, provider_kind kind,
                                        const std::optional<certificate>& trust, sys_millis now) {
  auto doc = parse_trusted_xml(xml);
  if (!doc) return doc.error();
  xmlNodePtr root = doc->root();

  const bool aggregate = is_element(root, ns::md, "EntitiesDescriptor");
  if (!aggregate && !is_element(root, ns::md, "EntityDescriptor")) {
    return failure{reason::metadata_invalid,
                   "root element is neither md:EntitiesDescriptor nor md:EntityDescriptor"};
  }
  if (trust) {
    // The root must be the signed element: an aggregate whose signature sits on some inner
    // element would leave the rest of the list unauthenticated.
    auto verified = verify_enveloped_signature(*doc, root, {*trust});
    if (!verified) {
      auto why = verified.error();
      why.detail = "metadata signature: " + why.detail;
      return why;
    }
  }
  idp_metadata out;
  if (auto valid =
          check_timing(root, now, aggregate ? "EntitiesDescriptor" : "metadata", out.timing);
      !valid) {
    return valid.error();
  }

  auto take = [&](const xmlNode* entity) -> outcome<void> {
    auto idp = read_entity(entity, kind, now, out.timing);
    if (!idp) return idp.error();
    if (*idp) out.idps.push_back(std::move(**idp));
    return {};
  };
  if (!aggregate) {
    if (auto r = take(root); !r) return r.error();
  } else {
    // Aggregates may nest EntitiesDescriptors (SAML metadata §2.3.1); the root signature covers
    // them all, and each level may carry its own validUntil and cacheDuration.
    std::vector<const xmlNode*> pending{root};
    while (!pending.empty()) {
      const xmlNode* group = pending.back();
      pending.pop_back();
      if (group != root) {
        if (auto valid = check_timing(group, now, "EntitiesDescriptor", out.timing); !valid) {
          return valid.error();
        }
      }
      for (const xmlNode* child = group->children; child != nullptr; child = child->next) {
        if (is_element(child, ns::md, "EntityDescriptor")) {
          if (auto r = take(child); !r) return r.error();
        } else if (is_element(child, ns::md, "EntitiesDescriptor")) {
          pending.push_back(child);
        }
      }
    }
  }
  if (out.idps.empty()) {
    return failure{reason::metadata_invalid, "no SAML 2.0 IDPSSODescriptor in the metadata"};
  }
  return out;
}

outcome<std::vector<idp_descriptor>> parse_idp_metadata(std::string_view xml, provider_kind kind,
                                                        const std::optional<certificate>& trust,
                                                        sys_millis now) {
  auto read = read_idp_metadata(xml, kind, trust, now);
  if (!read) return read.error();
  return std::move(read->idps);
}

outcome<std::vector<idp_descriptor>> parse_idp_metadata(std::string_view xml, provider_kind kind,
                                                        const std::optional<certificate>& trust) {
  return parse_idp_metadata(
      xml, kind, trust,
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
}

std::optional<std::chrono::seconds> parse_xml_duration(std::string_view text) {
  // A hundred years: longer is "forever" for a cache, and the sums below cannot overflow.
  constexpr std::int64_t saturated = 100LL * 365 * 24 * 3600;
  constexpr std::int64_t date_seconds[] = {365LL * 24 * 3600, 30LL * 24 * 3600, 24 * 3600};
  constexpr std::int64_t time_seconds[] = {3600, 60, 1};
  if (!text.starts_with('P')) return std::nullopt;
  text.remove_prefix(1);
  bool in_time = false;
  bool any = false;
  std::size_t next_unit = 0;  // designators come in order: Y M D, then T and H M S
  std::int64_t total = 0;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (!text.empty()) {
    if (text.front() == 'T') {
      if (in_time || text.size() == 1) return std::nullopt;
      in_time = true;
      next_unit = 0;
      text.remove_prefix(1);
      continue;
    }
    std::size_t i = 0;
    std::int64_t value = 0;
    for (; i < text.size() && digit(text[i]); ++i)
      value = std::min(saturated, value * 10 + (text[i] - '0'));
    if (i == 0) return std::nullopt;
    bool fraction = false;
    if (i < text.size() && text[i] == '.') {
      const std::size_t start = ++i;
      while (i < text.size() && digit(text[i])) ++i;
      if (i == start) return std::nullopt;
      fraction = true;
    }
    if (i >= text.size()) return std::nullopt;
    const std::string_view units = in_time ? "HMS" : "YMD";
    const std::size_t unit = units.find(text[i], next_unit);
    if (unit == std::string_view::npos || (fraction && !(in_time && text[i] == 'S'))) {
      return std::nullopt;
    }
    next_unit = unit + 1;
    const std::int64_t each = in_time ? time_seconds[unit] : date_seconds[unit];
    total = std::min(saturated, total + value * each);
    any = true;
    text.remove_prefix(i + 1);
  }
  if (!any) return std::nullopt;
  return std::chrono::seconds(total);
}

}  // namespace varco::saml
