#include "session/session_codec.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstdint>

namespace varco::session {
namespace json = boost::json;
namespace {

json::object to_object(const std::map<std::string, std::string>& m) {
  json::object o;
  o.reserve(m.size());
  for (const auto& [k, v] : m) o.emplace(k, v);
  return o;
}

// Each reader returns false on a type mismatch; a missing member keeps the default.
bool read_string(const json::object& o, std::string_view name, std::string& out) {
  const json::value* v = o.if_contains(name);
  if (!v) return true;
  const json::string* s = v->if_string();
  if (!s) return false;
  out.assign(s->data(), s->size());
  return true;
}

bool read_map(const json::object& o, std::string_view name,
              std::map<std::string, std::string>& out) {
  const json::value* v = o.if_contains(name);
  if (!v) return true;
  const json::object* m = v->if_object();
  if (!m) return false;
  for (const auto& [k, item] : *m) {
    const json::string* s = item.if_string();
    if (!s) return false;
    out.emplace(std::string(k), std::string(s->data(), s->size()));
  }
  return true;
}

bool read_int(const json::object& o, std::string_view name, std::int64_t& out) {
  const json::value* v = o.if_contains(name);
  if (!v) return false;  // numbers are required
  if (const auto* i = v->if_int64()) {
    out = *i;
    return true;
  }
  if (const auto* u = v->if_uint64(); u && *u <= static_cast<std::uint64_t>(INT64_MAX)) {
    out = static_cast<std::int64_t>(*u);
    return true;
  }
  return false;
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
  return json::serialize(o);
}

boost::system::result<session> decode_session(std::string_view text, std::string_view key) {
  // With the session cache off this runs on every request: the document lives in an arena on
  // the stack (a session is well under 4 KiB; a larger one spills to the heap), so parsing it
  // allocates nothing and dropping it frees nothing node by node.
  std::array<unsigned char, 4096> arena_buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init)
  json::monotonic_resource arena(arena_buffer.data(), arena_buffer.size());
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec, &arena);
  if (ec) return store_errc::corrupt;
  const json::object* o = doc.if_object();
  if (!o) return store_errc::corrupt;

  std::int64_t version = 0;
  if (!read_int(*o, "v", version) || version != session_format_version) {
    return store_errc::corrupt;
  }
  session s;
  s.key = key;
  std::int64_t level = 0;
  std::int64_t created = 0;
  const bool ok =
      read_map(*o, "attributes", s.attributes) && read_string(*o, "provider", s.provider) &&
      read_string(*o, "idp", s.idp_entity_id) && read_string(*o, "name_id", s.name_id) &&
      read_string(*o, "session_index", s.session_index) && read_int(*o, "level", level) &&
      read_int(*o, "created_at", created) && read_string(*o, "party", s.selected_party) &&
      read_map(*o, "environments", s.environments) && read_string(*o, "csrf", s.csrf_token);
  if (!ok || level < 0 || level > 3 || created < 0) return store_errc::corrupt;
  s.level = static_cast<int>(level);
  s.created_at = time_point{std::chrono::milliseconds{created}};
  return s;
}

}  // namespace varco::session
