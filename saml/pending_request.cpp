#include "saml/pending_request.hpp"

#include <boost/json.hpp>

namespace varco::saml {

std::string encode_pending(const pending_request& p) {
  boost::json::object o;
  o["id"] = p.request_id;
  o["idp"] = p.idp_entity_id;
  o["kind"] = to_string(p.kind);
  o["level"] = p.level;
  o["cmp"] = p.comparison;
  o["at"] = p.issue_instant.time_since_epoch().count();
  o["ret"] = p.return_path;
  o["bb"] = p.browser_binding;
  return boost::json::serialize(o);
}

std::optional<pending_request> decode_pending(std::string_view json) {
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto& o = value.as_object();
  auto str = [&](std::string_view key, std::string& out) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) return false;
    out = std::string(v->as_string());
    return true;
  };
  pending_request p;
  std::string kind;
  const auto* level = o.if_contains("level");
  const auto* at = o.if_contains("at");
  if (!str("id", p.request_id) || !str("idp", p.idp_entity_id) || !str("kind", kind) ||
      !str("cmp", p.comparison) || !str("ret", p.return_path) || !str("bb", p.browser_binding) ||
      level == nullptr || !level->is_int64() || at == nullptr || !at->is_int64()) {
    return std::nullopt;
  }
  if (kind != "spid" && kind != "cie") return std::nullopt;
  p.kind = kind == "cie" ? provider_kind::cie : provider_kind::spid;
  p.level = static_cast<int>(level->as_int64());
  p.issue_instant = sys_millis(std::chrono::milliseconds(at->as_int64()));
  return p;
}

}  // namespace varco::saml
