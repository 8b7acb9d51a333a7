// oidc: the OpenID Connect Relying Party — its keys, its place in the SPID/CIE federation, the
// providers it logs users in with, timing, limits and the audit log.
#include "conf/files.hpp"
#include "conf/sections.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace varco::conf::detail {
namespace {

// The SPID/CIE OpenID Connect claims (the SPID attribute set under its OIDC names).
const std::vector<std::string>& default_federation_claims() {
  static const std::vector<std::string> claims{"https://attributes.eid.gov.it/fiscal_number",
                                               "given_name", "family_name", "email"};
  return claims;
}

bool is_provider_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// https:// always; http:// only for local development (server.plain_http).
void check_url(load_context& ctx, const located& at, const std::string& url, bool plain_http) {
  if (url.rfind("https://", 0) == 0 && url.size() > 8) return;
  if (plain_http && url.rfind("http://", 0) == 0 && url.size() > 7) return;
  ctx.diag.add(at.line, at.path,
               in_quotes(url) +
                   (plain_http ? " is not an http:// or https:// URL" : " is not an https:// URL"));
}

std::string host_of(const std::string& url) {
  const auto start = url.find("://");
  if (start == std::string::npos) return url;
  const auto end = url.find_first_of(":/?#", start + 3);
  return url.substr(start + 3, end == std::string::npos ? std::string::npos : end - start - 3);
}

void read_whole_file(load_context& ctx, const located& at, const std::string& file,
                     std::string& out) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  out = text.str();
  if (out.empty()) ctx.diag.add(at.line, at.path, in_quotes(file) + " is empty");
}

void read_federation(load_context& ctx, const located& at, const server& srv,
                     oidc_federation& out) {
  if (!at.present()) return;
  out.enabled = true;
  map_reader map(ctx.diag, at,
                 {"entity_id", "key_file", "additional_jwks_file", "authority_hints",
                  "trust_anchors", "trust_marks", "organization_name", "contacts",
                  "entity_configuration_ttl", "required_trust_marks"});
  map.string("entity_id", out.entity_id);
  if (out.entity_id.empty()) out.entity_id = srv.public_base_url;
  check_url(ctx, map.at("entity_id"), out.entity_id, srv.plain_http);
  read_file_setting(ctx, map, "key_file", out.key_file, true);
  if (read_file_setting(ctx, map, "additional_jwks_file", out.additional_jwks_file, false) &&
      !out.additional_jwks_file.empty())
    read_whole_file(ctx, map.at("additional_jwks_file"), out.additional_jwks_file,
                    out.additional_jwks_json);
  located hints = map.at("authority_hints");
  map.string_list("authority_hints", out.authority_hints);
  if (out.authority_hints.empty()) {
    ctx.diag.add(hints.line, hints.path, "must name varco's superior in the federation");
  }
  for (const auto& hint : out.authority_hints) check_url(ctx, hints, hint, srv.plain_http);
  located anchors = map.at("trust_anchors");
  for (const auto& item : map.items("trust_anchors")) {
    map_reader anchor_map(ctx.diag, item, {"entity_id", "jwks_file"});
    oidc_trust_anchor anchor;
    if (anchor_map.required_string("entity_id", anchor.entity_id))
      check_url(ctx, anchor_map.at("entity_id"), anchor.entity_id, srv.plain_http);
    if (read_file_setting(ctx, anchor_map, "jwks_file", anchor.jwks_file, true))
      read_whole_file(ctx, anchor_map.at("jwks_file"), anchor.jwks_file, anchor.jwks_json);
    out.trust_anchors.push_back(std::move(anchor));
  }
  if (out.trust_anchors.empty()) {
    ctx.diag.add(anchors.line, anchors.path, "must name at least one trust anchor");
  }
  for (const auto& item : map.items("trust_marks")) {
    map_reader mark_map(ctx.diag, item, {"id", "trust_mark"});
    oidc_trust_mark mark;
    mark_map.required_string("id", mark.id);
    mark_map.required_string("trust_mark", mark.trust_mark);
    out.trust_marks.push_back(std::move(mark));
  }
  map.string("organization_name", out.organization_name);
  located contacts = map.at("contacts");
  map.string_list("contacts", out.contacts);
  for (const auto& contact : out.contacts) {
    if (contact.find('@') == std::string::npos)
      ctx.diag.add(contacts.line, contacts.path, in_quotes(contact) + " is not an email address");
  }
  map.positive_duration("entity_configuration_ttl", out.entity_configuration_ttl);
  map.string_list("required_trust_marks", out.required_trust_marks);
}

void read_kind(map_reader& map, oidc_provider& out) {
  located at = map.at("kind");
  std::string text;
  if (!map.string("kind", text)) {
    map.diag().add(at.line, at.path, "is required (spid, cie or oidc)");
    return;
  }
  if (text == "spid") {
    out.kind = oidc_provider_kind::spid;
  } else if (text == "cie") {
    out.kind = oidc_provider_kind::cie;
  } else if (text == "oidc") {
    out.kind = oidc_provider_kind::oidc;
  } else {
    map.diag().add(at.line, at.path, in_quotes(text) + " is not spid, cie or oidc");
  }
}

void read_client(load_context& ctx, map_reader& map, oidc_provider& out) {
  located client_id = map.at("client_id");
  map.string("client_id", out.client_id);
  located auth = map.at("client_auth");
  std::string text;
  if (map.string("client_auth", text)) {
    if (text == "private_key_jwt") {
      out.client_auth = oidc_client_auth::private_key_jwt;
    } else if (text == "client_secret_basic") {
      out.client_auth = oidc_client_auth::client_secret_basic;
    } else {
      ctx.diag.add(auth.line, auth.path,
                   in_quotes(text) + " is not private_key_jwt or client_secret_basic");
    }
  }
  if (out.kind != oidc_provider_kind::oidc) {
    // In the federation the client is varco's entity id and the key its own: nothing to set.
    if (client_id.present())
      ctx.diag.add(client_id.line, client_id.path,
                   "is the federation entity_id for spid and cie providers; remove it");
    if (auth.present() && out.client_auth != oidc_client_auth::private_key_jwt)
      ctx.diag.add(auth.line, auth.path, "must be private_key_jwt for spid and cie providers");
    return;
  }
  if (out.client_id.empty()) ctx.diag.add(client_id.line, client_id.path, "is required");
  if (out.client_auth == oidc_client_auth::client_secret_basic) {
    located secret = map.at("client_secret_file");
    if (read_file_setting(ctx, map, "client_secret_file", out.client_secret_file, true)) {
      std::string problem;
      if (auto value = read_secret(out.client_secret_file, problem)) {
        out.client_secret = *value;
      } else {
        ctx.diag.add(secret.line, secret.path, problem);
      }
    }
  }
}

void read_providers(load_context& ctx, const located& at, const server& srv, oidc& out) {
  std::set<std::string> ids;
  for (const auto& item : sequence_items(ctx.diag, at)) {
    map_reader map(ctx.diag, item,
                   {"id", "kind", "issuer", "name", "logo", "level", "client_id", "client_auth",
                    "client_secret_file", "scopes", "claims", "fiscal_number_claim",
                    "request_object", "userinfo"});
    oidc_provider provider;
    located id = map.at("id");
    if (map.required_string("id", provider.id) && !is_provider_id(provider.id))
      ctx.diag.add(id.line, id.path, in_quotes(provider.id) + " must be lower-case a-z, 0-9, -");
    if (!provider.id.empty() && !ids.insert(provider.id).second)
      ctx.diag.add(id.line, id.path, in_quotes(provider.id) + " is used twice");
    read_kind(map, provider);
    const bool federation = provider.kind != oidc_provider_kind::oidc;
    if (map.required_string("issuer", provider.issuer))
      check_url(ctx, map.at("issuer"), provider.issuer, srv.plain_http);
    map.string("name", provider.name);
    if (provider.name.empty()) provider.name = host_of(provider.issuer);
    map.string("logo", provider.logo);
    map.integer("level", provider.default_level, 1, 3);
    read_client(ctx, map, provider);
    map.string_list("scopes", provider.scopes);
    if (provider.scopes.empty()) {
      provider.scopes = federation ? std::vector<std::string>{"openid"}
                                   : std::vector<std::string>{"openid", "profile", "email"};
    } else if (std::find(provider.scopes.begin(), provider.scopes.end(), "openid") ==
               provider.scopes.end()) {
      located scopes = map.at("scopes");
      ctx.diag.add(scopes.line, scopes.path, "must include openid");
    }
    map.string_list("claims", provider.claims);
    if (provider.claims.empty() && federation) provider.claims = default_federation_claims();
    map.string("fiscal_number_claim", provider.fiscal_number_claim);
    map.boolean("request_object", provider.request_object);
    map.boolean("userinfo", provider.userinfo);
    if (federation) {
      located ro = map.at("request_object");
      if (!provider.request_object && ro.present())
        ctx.diag.add(ro.line, ro.path, "is always true for spid and cie providers");
      provider.request_object = true;
      provider.userinfo = true;
      if (!out.federation.enabled)
        ctx.diag.add(item.line, item.path, "a spid or cie provider needs oidc.federation");
    }
    out.providers.push_back(std::move(provider));
  }
}

}  // namespace

void read_oidc(load_context& ctx, const located& at, const server& srv, oidc& out) {
  if (!at.present()) return;
  out.enabled = true;
  map_reader map(ctx.diag, at,
                 {"signing_key_file", "encryption_key_file", "additional_jwks_file", "federation",
                  "providers", "clock_skew", "request_ttl", "metadata_refresh", "fetch_timeout",
                  "max_document_bytes", "ca_file", "audit", "return_paths"});
  out.redirect_uri = srv.public_base_url + "/oidc/callback";
  read_file_setting(ctx, map, "signing_key_file", out.signing_key_file, true);
  read_file_setting(ctx, map, "encryption_key_file", out.encryption_key_file, false);
  if (read_file_setting(ctx, map, "additional_jwks_file", out.additional_jwks_file, false) &&
      !out.additional_jwks_file.empty())
    read_whole_file(ctx, map.at("additional_jwks_file"), out.additional_jwks_file,
                    out.additional_jwks_json);
  read_federation(ctx, map.at("federation"), srv, out.federation);
  located providers = map.at("providers");
  read_providers(ctx, providers, srv, out);
  if (out.providers.empty())
    ctx.diag.add(providers.line, providers.path, "must list at least one provider");
  const bool federation_provider =
      std::any_of(out.providers.begin(), out.providers.end(),
                  [](const oidc_provider& p) { return p.kind != oidc_provider_kind::oidc; });
  if (federation_provider && out.encryption_key_file.empty()) {
    located key = map.at("encryption_key_file");
    ctx.diag.add(key.line, key.path, "is required: spid and cie providers encrypt UserInfo");
  }
  map.duration_or_zero("clock_skew", out.clock_skew);
  map.positive_duration("request_ttl", out.request_ttl);
  map.positive_duration("metadata_refresh", out.metadata_refresh);
  map.positive_duration("fetch_timeout", out.fetch_timeout);
  map.bytes("max_document_bytes", out.max_document_bytes, 4096);
  read_file_setting(ctx, map, "ca_file", out.ca_file, false);

  read_audit_log(ctx, map.at("audit"), out.audit_directory, out.audit_retention_months);
  read_return_paths(ctx, map, out.allowed_return_prefixes);
}

}  // namespace varco::conf::detail
