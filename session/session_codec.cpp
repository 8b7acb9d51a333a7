#include "session/session_codec.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstdint>

// decode_session is in session_decoder.cpp.
namespace varco::session {
namespace json = boost::json;
namespace {

json::object to_object(const std::map<std::string, std::string>& m) {
  json::object o;
  o.reserve(m.size());
  for (const auto& [k, v] : m) o.emplace(k, v);
  return o;
}

}  // namespace

std::string encode_session(const session& s) {
  json::object o;
  o.reserve(12);
  o.emplace("v", session_format_version);
  o.emplace("attributes", to_object(s.attributes));
  o.emplace("provider", s.provider);
  o.emplace("idp", s.idp_entity_id);
  o.emplace("name_id", s.name_id);
  o.emplace("session_index", s.session_index);
  o.emplace("level", s.level);
  o.emplace("created_at", static_cast<std::int64_t>(s.created_at.time_since_epoch().count()));
  o.emplace("party", s.selected_party);
  o.emplace("environments", to_object(s.environments));
  o.emplace("csrf", s.csrf_token);
  if (!s.oidc.empty()) o.emplace("oidc", to_object(s.oidc));  // SAML sessions stay as they were
  return json::serialize(o);
}

}  // namespace varco::session
