// saml: the SPID/CIE Service Provider — identity, keys, organisation and contact data for the
// metadata, attribute services, IdP metadata sources, timing and the audit log.
#include "conf/files.hpp"
#include "conf/sections.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <optional>
#include <set>
#include <string_view>

namespace varco::conf::detail {
namespace {

// RULES.md §1: the attributes an SP may request (domicile* are the five domicile attributes).
constexpr std::array<std::string_view, 23> spid_attributes{"spidCode",
                                                           "name",
                                                           "familyName",
                                                           "placeOfBirth",
                                                           "countyOfBirth",
                                                           "dateOfBirth",
                                                           "gender",
                                                           "companyName",
                                                           "registeredOffice",
                                                           "fiscalNumber",
                                                           "ivaCode",
                                                           "idCard",
                                                           "mobilePhone",
                                                           "email",
                                                           "address",
                                                           "expirationDate",
                                                           "digitalAddress",
                                                           "companyFiscalNumber",
                                                           "domicileStreetAddress",
                                                           "domicilePostalCode",
                                                           "domicileMunicipality",
                                                           "domicileProvince",
                                                           "domicileNation"};
// CIE ID releases only these.
constexpr std::array<std::string_view, 4> cie_attributes{"name", "familyName", "dateOfBirth",
                                                         "fiscalNumber"};

bool is_spid_attribute(std::string_view name) {
  return std::find(spid_attributes.begin(), spid_attributes.end(), name) != spid_attributes.end();
}

void read_localized(load_context& ctx, const located& at, localized& out, bool required) {
  if (!at.present()) {
    if (required) ctx.diag.add(at.line, at.path, "is required (a mapping language → text)");
    return;
  }
  if (!at.node.IsMap()) {
    ctx.diag.add(at.line, at.path, "must be a mapping language → text, e.g. {it: …, en: …}");
    return;
  }
  for (const auto& entry : at.node) {
    std::string lang = entry.first.as<std::string>("");
    located value{entry.second, join_path(at.path, lang), entry.second.Mark().line + 1};
    std::string text;
    if (!read_string(ctx.diag, value, text)) continue;
    if (lang.size() != 2 ||
        !std::all_of(lang.begin(), lang.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
      ctx.diag.add(value.line, value.path, "is not a two-letter language code");
      continue;
    }
    if (text.empty()) {
      ctx.diag.add(value.line, value.path, "must not be empty");
      continue;
    }
    out.by_lang[lang] = std::move(text);
  }
  if (!out.by_lang.contains("it")) ctx.diag.add(at.line, at.path, "needs the Italian text (it)");
}

void read_contact(load_context& ctx, const located& at, saml_contact& out) {
  map_reader map(ctx.diag, at, {"email", "telephone"});
  located email = map.at("email");
  if (map.required_string("email", out.email) && out.email.find('@') == std::string::npos) {
    ctx.diag.add(email.line, email.path, in_quotes(out.email) + " is not an email address");
  }
  located phone = map.at("telephone");
  if (map.string("telephone", out.telephone) && !out.telephone.empty()) {
    bool digits =
        out.telephone.size() > 3 && std::all_of(out.telephone.begin() + 1, out.telephone.end(),
                                                [](char c) { return c >= '0' && c <= '9'; });
    if (out.telephone.rfind("+39", 0) != 0 || !digits) {
      ctx.diag.add(phone.line, phone.path,
                   in_quotes(out.telephone) + " must be +39 followed by digits, without spaces");
    }
  }
}

void read_attribute_services(load_context& ctx, const located& at,
                             std::vector<attribute_service>& out) {
  std::set<unsigned> indexes;
  for (const auto& item : sequence_items(ctx.diag, at)) {
    map_reader map(ctx.diag, item, {"index", "name", "attributes"});
    attribute_service service;
    located index = map.at("index");
    if (!index.present()) ctx.diag.add(index.line, index.path, "is required");
    map.integer("index", service.index, 0, 65535);
    map.required_string("name", service.name);
    located attributes = map.at("attributes");
    map.string_list("attributes", service.attributes);
    if (service.attributes.empty()) {
      ctx.diag.add(attributes.line, attributes.path, "must list at least one attribute");
    }
    std::set<std::string> seen;
    for (const auto& name : service.attributes) {
      if (!is_spid_attribute(name)) {
        ctx.diag.add(attributes.line, attributes.path,
                     in_quotes(name) + " is not a SPID attribute");
      } else if (!seen.insert(name).second) {
        ctx.diag.add(attributes.line, attributes.path, in_quotes(name) + " is listed twice");
      }
    }
    if (!indexes.insert(service.index).second) {
      ctx.diag.add(index.line, index.path,
                   "index " + std::to_string(service.index) + " is used twice");
    }
    out.push_back(std::move(service));
  }
}

// What is wrong with a metadata URL, nullopt when fine: https:// (http:// only for local
// development), a host, no user info, no fragment, no spaces or controls. The fetcher parses it
// again when varco starts; this catches the typos at the line that has them.
std::optional<std::string> metadata_url_problem(std::string_view url, bool plain_http) {
  constexpr std::size_t max_url_bytes = 8 * 1024;
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    if (!plain_http) {
      return in_quotes(url) +
             " is plain http: IdP metadata is fetched over https:// (http:// only with "
             "server.plain_http: true, for local development)";
    }
    rest = url.substr(7);
  } else {
    return in_quotes(url) + " is not an https:// URL";
  }
  const bool clean = std::none_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || c == 0x7f || c == '#';
  });
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
  if (url.size() > max_url_bytes || !clean || authority.empty() || authority.front() == ':' ||
      authority.find('@') != std::string_view::npos) {
    return in_quotes(url) + " is not a URL with a host (no user info, fragment or spaces)";
  }
  return std::nullopt;
}

// One `metadata:` item: a file name, or {file | url, trust_certificate, ...}. False when it is
// unusable (reported).
bool read_idp_source(load_context& ctx, const located& item, bool plain_http, idp_source& out) {
  if (item.node.IsScalar()) {
    std::string file;
    if (!read_string(ctx.diag, item, file)) return false;
    out.file = resolve_path(ctx.base_dir, file);
    if (auto problem = readable_file_problem(out.file)) {
      ctx.diag.add(item.line, item.path, *problem);
      return false;
    }
    return true;
  }
  map_reader map(
      ctx.diag, item,
      {"file", "url", "trust_certificate", "max_bytes", "timeout", "ca_file", "cache_file"});
  const bool url = map.has("url");
  if (url == map.has("file")) {
    ctx.diag.add(map.line(), map.path(), "needs either file or url");
    return false;
  }
  if (url && !map.has("trust_certificate")) {
    ctx.diag.add(map.line(), map.path(),
                 "a url source needs trust_certificate: an unsigned document from the network is "
                 "never used");
  }
  read_file_setting(ctx, map, "trust_certificate", out.trust_certificate_file, false);
  if (!url) {
    for (std::string_view key : {"max_bytes", "timeout", "ca_file", "cache_file"}) {
      if (located value = map.at(key); value.present())
        ctx.diag.add(value.line, value.path, "applies to a url source only");
    }
    return read_file_setting(ctx, map, "file", out.file, true);
  }
  located where = map.at("url");
  if (!map.required_string("url", out.url)) return false;
  if (auto problem = metadata_url_problem(out.url, plain_http)) {
    ctx.diag.add(where.line, where.path, *problem);
    return false;
  }
  map.bytes("max_bytes", out.max_bytes, 1024);
  map.positive_duration("timeout", out.timeout);
  read_file_setting(ctx, map, "ca_file", out.ca_file, false);
  located cache = map.at("cache_file");
  std::string cache_file;
  if (map.string("cache_file", cache_file) && !cache_file.empty()) {
    out.cache_file = resolve_path(ctx.base_dir, cache_file);
    std::error_code ec;
    const auto directory = std::filesystem::path(out.cache_file).parent_path();
    if (!std::filesystem::is_directory(directory, ec)) {
      ctx.diag.add(cache.line, cache.path,
                   "its directory " + in_quotes(directory.string()) + " does not exist");
    }
  }
  return true;
}

void read_provider(load_context& ctx, const located& at, bool plain_http,
                   identity_provider_kind& out, bool cie,
                   const std::vector<attribute_service>& services) {
  if (!at.present()) return;
  out.configured = true;
  map_reader map(ctx.diag, at,
                 {"metadata", "display", "attribute_service", "level", "comparison", "binding"});
  located sources = map.at("metadata");
  for (const auto& item : map.items("metadata")) {
    idp_source source;
    if (read_idp_source(ctx, item, plain_http, source)) out.sources.push_back(std::move(source));
  }
  if (out.sources.empty()) {
    ctx.diag.add(sources.line, sources.path, "names no IdP metadata source");
  }
  for (const auto& item : map.items("display")) {
    map_reader display(ctx.diag, item, {"entity_id", "name", "logo"});
    idp_display entry;
    display.required_string("entity_id", entry.entity_id);
    display.string("name", entry.name);
    display.string("logo", entry.logo);
    out.display.push_back(std::move(entry));
  }
  located index = map.at("attribute_service");
  if (map.integer("attribute_service", out.attribute_service_index, 0, 65535) ||
      !services.empty()) {
    auto found = std::find_if(services.begin(), services.end(), [&](const attribute_service& s) {
      return s.index == out.attribute_service_index;
    });
    if (found == services.end()) {
      ctx.diag.add(index.line, index.path,
                   "attribute service " + std::to_string(out.attribute_service_index) +
                       " is not among saml.attribute_services");
    } else if (cie) {
      for (const auto& name : found->attributes) {
        if (std::find(cie_attributes.begin(), cie_attributes.end(), name) == cie_attributes.end()) {
          ctx.diag.add(index.line, index.path,
                       "CIE releases only name, familyName, dateOfBirth and fiscalNumber, not " +
                           in_quotes(name));
        }
      }
    }
  }
  map.integer("level", out.default_level, 1, 3);
  located comparison = map.at("comparison");
  if (map.string("comparison", out.comparison)) {
    static constexpr std::array<std::string_view, 4> all{"exact", "minimum", "better", "maximum"};
    bool allowed = cie ? (out.comparison == "exact" || out.comparison == "minimum")
                       : std::find(all.begin(), all.end(), out.comparison) != all.end();
    if (!allowed) {
      ctx.diag.add(comparison.line, comparison.path,
                   in_quotes(out.comparison) + (cie ? " is not exact or minimum (CIE)"
                                                    : " is not exact, minimum, better or maximum"));
    }
  }
  located binding = map.at("binding");
  std::string text;
  if (map.string("binding", text)) {
    if (text == "redirect") {
      out.request_binding = saml_binding::redirect;
    } else if (text == "post") {
      out.request_binding = saml_binding::post;
    } else {
      ctx.diag.add(binding.line, binding.path, in_quotes(text) + " is not redirect or post");
    }
  }
}

}  // namespace

void read_audit_log(load_context& ctx, const located& at, std::string& directory,
                    int& retention_months) {
  map_reader audit_map(ctx.diag, at, {"directory", "retention_months"});
  std::string dir;
  if (audit_map.required_string("directory", dir)) directory = resolve_path(ctx.base_dir, dir);
  audit_map.integer("retention_months", retention_months, 1, 1200);
}

void read_return_paths(load_context& ctx, map_reader& map, std::vector<std::string>& out) {
  located returns = map.at("return_paths");
  if (!returns.present()) return;
  out.clear();
  map.string_list("return_paths", out);
  for (const auto& prefix : out) {
    if (prefix.empty() || prefix[0] != '/' || prefix.rfind("//", 0) == 0 ||
        prefix.find('\\') != std::string::npos) {
      ctx.diag.add(returns.line, returns.path, in_quotes(prefix) + " is not a local path");
    }
  }
}

void read_saml(load_context& ctx, const located& at, const server& srv, saml& out) {
  if (!at.present()) return;
  out.enabled = true;
  map_reader map(
      ctx.diag, at,
      {"entity_id", "key_file", "certificate_file", "organization", "contact", "public", "ipa_code",
       "vat_number", "fiscal_code", "municipality", "attribute_services", "clock_skew",
       "request_ttl", "idp_refresh", "max_message_bytes", "spid", "cie", "audit", "return_paths"});
  map.string("entity_id", out.entity_id);
  if (out.entity_id.empty()) out.entity_id = srv.public_base_url;
  out.acs_url = srv.public_base_url + "/saml/acs";
  out.slo_url = srv.public_base_url + "/saml/slo";
  read_file_setting(ctx, map, "key_file", out.key_file, true);
  read_file_setting(ctx, map, "certificate_file", out.certificate_file, true);

  located org = map.at("organization");
  map_reader org_map(ctx.diag, org, {"name", "display_name", "url"});
  read_localized(ctx, org_map.at("name"), out.organization_name, true);
  read_localized(ctx, org_map.at("display_name"), out.organization_display_name, true);
  read_localized(ctx, org_map.at("url"), out.organization_url, true);
  auto langs = [](const localized& l) {
    std::set<std::string> keys;
    for (const auto& [k, v] : l.by_lang) keys.insert(k);
    return keys;
  };
  if (langs(out.organization_name) != langs(out.organization_display_name) ||
      langs(out.organization_name) != langs(out.organization_url)) {
    ctx.diag.add(org.line, org.path, "name, display_name and url must have the same languages");
  }
  read_contact(ctx, map.at("contact"), out.contact);

  map.boolean("public", out.public_sp);
  located ipa = map.at("ipa_code");
  map.string("ipa_code", out.ipa_code);
  map.string("vat_number", out.vat_number);
  map.string("fiscal_code", out.fiscal_code);
  map.string("municipality", out.municipality);
  if (out.public_sp && out.ipa_code.empty()) {
    ctx.diag.add(ipa.line, ipa.path, "is required for a public SP (public: true)");
  }
  if (!out.public_sp && out.vat_number.empty() && out.fiscal_code.empty()) {
    ctx.diag.add(map.line(), map.path(), "a private SP needs vat_number or fiscal_code");
  }

  located services = map.at("attribute_services");
  read_attribute_services(ctx, services, out.attribute_services);
  if (out.attribute_services.empty()) {
    ctx.diag.add(services.line, services.path, "must define at least one attribute service");
  }
  map.duration_or_zero("clock_skew", out.clock_skew);
  map.positive_duration("request_ttl", out.request_ttl);
  map.positive_duration("idp_refresh", out.idp_refresh);
  map.bytes("max_message_bytes", out.max_message_bytes, 1024);

  located spid = map.at("spid");
  read_provider(ctx, spid, srv.plain_http, out.spid, false, out.attribute_services);
  if (!out.spid.configured) ctx.diag.add(spid.line, spid.path, "is required (SPID IdP metadata)");
  located cie = map.at("cie");
  read_provider(ctx, cie, srv.plain_http, out.cie, true, out.attribute_services);
  if (out.cie.configured && out.municipality.empty()) {
    ctx.diag.add(cie.line, cie.path, "CIE needs saml.municipality (ISTAT code of the SP's seat)");
  }

  read_audit_log(ctx, map.at("audit"), out.audit_directory, out.audit_retention_months);
  read_return_paths(ctx, map, out.allowed_return_prefixes);
}

}  // namespace varco::conf::detail
