// The tree-based session decoder that session_decoder.cpp replaced, kept verbatim as the
// reference the event-based one is checked against (codec_equivalence_test, and the
// session_codec fuzz target): a Boost.JSON DOM parse, then member lookups.
#pragma once

#include "session/session_codec.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace varco::session::reference {

namespace dom_detail {
namespace json = boost::json;

// Each reader returns false on a type mismatch; a missing member keeps the default.
inline bool read_string(const json::object& o, std::string_view name, std::string& out) {
  const json::value* v = o.if_contains(name);
  if (!v) return true;
  const json::string* s = v->if_string();
  if (!s) return false;
  out.assign(s->data(), s->size());
  return true;
}

inline bool read_map(const json::object& o, std::string_view name,
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

inline bool read_int(const json::object& o, std::string_view name, std::int64_t& out) {
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

}  // namespace dom_detail

inline boost::system::result<session> dom_decode_session(std::string_view text,
                                                         std::string_view key = {}) {
  namespace json = boost::json;
  using dom_detail::read_int;
  using dom_detail::read_map;
  using dom_detail::read_string;
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
      read_map(*o, "environments", s.environments) && read_string(*o, "csrf", s.csrf_token) &&
      read_map(*o, "oidc", s.oidc);
  if (!ok || level < 0 || level > 3 || created < 0) return store_errc::corrupt;
  s.level = static_cast<int>(level);
  s.created_at = time_point{std::chrono::milliseconds{created}};
  return s;
}

}  // namespace varco::session::reference
