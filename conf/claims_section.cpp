// claims: which identity headers a proxied request carries, globally and per product.
#include "conf/sections.hpp"
#include "conf/syntax.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace varco::conf::detail {
namespace {

struct claim_default {
  claim which;
  std::string_view key;
  std::string_view header;
};

// The defaults documented in conf/examples/varco.yaml.
constexpr std::array<claim_default, claim_count> claim_defaults{{
    {claim::user_fiscal_number, "user_fiscal_number", "X-Varco-User-Fiscal-Number"},
    {claim::user_name, "user_name", "X-Varco-User-Name"},
    {claim::user_family_name, "user_family_name", "X-Varco-User-Family-Name"},
    {claim::user_email, "user_email", "X-Varco-User-Email"},
    {claim::party_id, "party_id", "X-Varco-Party-Id"},
    {claim::party_name, "party_name", "X-Varco-Party-Name"},
    {claim::party_fiscal_code, "party_fiscal_code", "X-Varco-Party-Fiscal-Code"},
    {claim::party_type, "party_type", "X-Varco-Party-Type"},
    {claim::party_role, "party_role", "X-Varco-Party-Role"},
    {claim::product_role, "product_role", "X-Varco-Product-Role"},
    {claim::product, "product", "X-Varco-Product"},
    {claim::environment, "environment", "X-Varco-Environment"},
}};

bool iequal(std::string_view a, std::string_view b) {
  return in_header_namespace(a, b) && a.size() == b.size();
}

// A header name the gateway will set: a token, and not one that frames or routes the message.
bool check_header_name(load_context& ctx, const located& at, const std::string& name) {
  if (!is_http_token(name)) {
    ctx.diag.add(at.line, at.path, in_quotes(name) + " is not a valid HTTP header name");
    return false;
  }
  if (is_reserved_header(name)) {
    ctx.diag.add(at.line, at.path,
                 in_quotes(name) + " is a reserved header and cannot carry claims");
    return false;
  }
  return true;
}

value_origin origin_of(const located& at) { return value_origin{at.path, at.line, true, true}; }

// Of two values in conflict, the one to point at: preferably one written in this section.
bool prefer_second(const value_origin& first, const value_origin& second) {
  if (second.local && second.written) return true;
  if (first.local && first.written) return false;
  return second.local;
}

}  // namespace

std::string_view claim_key(claim c) { return claim_defaults[static_cast<std::size_t>(c)].key; }

claims_origins claims_origins::inherited() const {
  claims_origins copy = *this;
  copy.header_namespace.local = false;
  copy.token_header.local = false;
  for (auto& [which, origin] : copy.headers) origin.local = false;
  return copy;
}

void fill_default_claims(claims& out, claims_origins& origins, const std::string& path, int line) {
  for (const auto& d : claim_defaults) {
    out.header_names[d.which] = std::string(d.header);
    origins.headers[d.which] =
        value_origin{join_path(join_path(path, "headers"), d.key), line, true};
  }
  origins.header_namespace = value_origin{join_path(path, "header_namespace"), line, true};
  origins.token_header = value_origin{join_path(path, "token_header"), line, true};
}

void read_claims(load_context& ctx, const located& at, claims& inout, claims_origins& origins) {
  map_reader map(
      ctx.diag, at,
      {"header_namespace", "headers", "token_header", "token_scheme", "replace_authorization"});
  located ns = map.at("header_namespace");
  std::string text;
  if (map.string("header_namespace", text)) {
    if (text.empty() || !is_http_token(text)) {
      ctx.diag.add(ns.line, ns.path, in_quotes(text) + " is not a valid header name prefix");
    } else {
      inout.header_namespace = text;
      origins.header_namespace = origin_of(ns);
    }
  }

  located headers_at = map.at("headers");
  map_reader headers(ctx.diag, headers_at,
                     {"user_fiscal_number", "user_name", "user_family_name", "user_email",
                      "party_id", "party_name", "party_fiscal_code", "party_type", "party_role",
                      "product_role", "product", "environment"});
  for (const auto& d : claim_defaults) {
    located header = headers.at(d.key);
    std::string name;
    if (!headers.string(d.key, name)) continue;
    if (!check_header_name(ctx, header, name)) continue;
    inout.header_names[d.which] = std::move(name);
    origins.headers[d.which] = origin_of(header);
  }

  located token = map.at("token_header");
  if (map.string("token_header", text) && check_header_name(ctx, token, text)) {
    inout.token_header = text;
    origins.token_header = origin_of(token);
  }
  located scheme = map.at("token_scheme");
  if (map.string("token_scheme", text)) {
    if (!text.empty() && !is_http_token(text)) {
      ctx.diag.add(scheme.line, scheme.path,
                   in_quotes(text) + " is not a valid authentication scheme (e.g. Bearer)");
    } else {
      inout.token_scheme = text;
    }
  }
  map.boolean("replace_authorization", inout.replace_authorization);
}

void check_claims(load_context& ctx, const claims& c, const claims_origins& origins) {
  const value_origin& ns = origins.header_namespace;
  for (const auto& [which, name] : c.header_names) {
    const value_origin& header = origins.headers.at(which);
    if (!header.local && !ns.local) continue;  // already checked where both were written
    if (in_header_namespace(name, c.header_namespace)) continue;
    if (header.local) {
      ctx.diag.add(header.line, header.path,
                   in_quotes(name) + " is outside header_namespace " +
                       in_quotes(c.header_namespace) + " (clients could send it)");
    } else {
      ctx.diag.add(ns.line, ns.path,
                   "claim header " + in_quotes(name) + " (" + std::string(claim_key(which)) +
                       ") is outside " + in_quotes(c.header_namespace));
    }
  }
  for (auto a = c.header_names.begin(); a != c.header_names.end(); ++a) {
    const value_origin& first = origins.headers.at(a->first);
    for (auto b = std::next(a); b != c.header_names.end(); ++b) {
      const value_origin& second = origins.headers.at(b->first);
      if (!(first.local || second.local) || !iequal(a->second, b->second)) continue;
      bool at_second = prefer_second(first, second);
      const value_origin& at = at_second ? second : first;
      ctx.diag.add(at.line, at.path,
                   in_quotes(at_second ? b->second : a->second) + " is also the header of " +
                       std::string(claim_key(at_second ? a->first : b->first)));
    }
    const value_origin& token = origins.token_header;
    if ((first.local || token.local) && iequal(a->second, c.token_header)) {
      const value_origin& at = prefer_second(first, token) ? token : first;
      ctx.diag.add(at.line, at.path,
                   in_quotes(c.token_header) + " is both the token header and the header of " +
                       std::string(claim_key(a->first)));
    }
  }
}

}  // namespace varco::conf::detail
