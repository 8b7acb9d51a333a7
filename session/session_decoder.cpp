// decode_session without a DOM: with the session cache off this runs on every request, and
// building a JSON tree only to copy its strings out again was a fifth of the request's CPU.
//
// The handler fills the session straight from Boost.JSON's parser events and accepts exactly
// what the tree-based reading it replaced accepted (tests/unit/session/codec_equivalence_test
// checks the two against each other):
//   - the lexing is Boost.JSON's own, with the default parse_options: same grammar, same depth
//     limit, same number kinds (an integer that fits is int64; a fraction or exponent is double);
//   - the document is an object; keys other than the ones below are ignored, whatever they hold;
//   - a key given twice counts by its last value, at the top and inside the two maps (a
//     json::object keeps the last duplicate), so an earlier wrong-typed value is forgiven;
//   - "v", "level" and "created_at" are required integers (int64, or uint64 up to INT64_MAX);
//     the strings may be missing; the maps may be missing and hold only strings.
#include "session/session_codec.hpp"

#include <boost/json/array.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace varco::session {
namespace json = boost::json;
namespace {

// What the last occurrence of a member was.
enum class seen : unsigned char { missing, ok, wrong };

enum class field : unsigned char {
  unknown,
  v,
  attributes,
  provider,
  idp,
  name_id,
  session_index,
  level,
  created_at,
  party,
  environments,
  csrf,
  oidc,
};

field field_named(std::string_view k) {
  static constexpr std::array<std::pair<std::string_view, field>, 12> names{{
      {"v", field::v},
      {"attributes", field::attributes},
      {"provider", field::provider},
      {"idp", field::idp},
      {"name_id", field::name_id},
      {"session_index", field::session_index},
      {"level", field::level},
      {"created_at", field::created_at},
      {"party", field::party},
      {"environments", field::environments},
      {"csrf", field::csrf},
      {"oidc", field::oidc},
  }};
  for (const auto& [name, f] : names) {
    if (name == k) return f;
  }
  return field::unknown;
}

// One of the two string-to-string maps. Entries whose last value is not a string are kept
// aside: the map is corrupt while any is left.
struct map_member {
  std::map<std::string, std::string>* out = nullptr;
  std::vector<std::string> rejected;
  seen state = seen::missing;

  void begin() {
    out->clear();
    rejected.clear();
    state = seen::ok;
  }
  void accept(const std::string& key, std::string_view value) {
    if (!rejected.empty()) std::erase(rejected, key);
    // The encoder writes keys in order, so the hint is right and the insert costs no search.
    if (out->empty() || out->rbegin()->first < key) {
      out->emplace_hint(out->end(), key, value);
    } else {
      out->insert_or_assign(key, std::string(value));
    }
  }
  void reject(const std::string& key) {
    out->erase(key);
    if (std::find(rejected.begin(), rejected.end(), key) == rejected.end()) {
      rejected.push_back(key);
    }
  }
  bool valid() const { return state != seen::wrong && rejected.empty(); }
};

struct int_member {
  std::int64_t value = 0;
  seen state = seen::missing;
};

class session_handler {
 public:
  // The limits of the tree the parser used to build, so the same sizes are refused.
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  explicit session_handler(std::string_view key) {
    s_.key = key;
    attributes_.out = &s_.attributes;
    environments_.out = &s_.environments;
    oidc_.out = &s_.oidc;
  }

  bool on_document_begin(json::error_code& /*ec*/) { return true; }
  bool on_document_end(json::error_code& /*ec*/) { return true; }

  bool on_object_begin(json::error_code& ec) {
    if (skip_ > 0) {
      ++skip_;
      return true;
    }
    if (depth_ == 0) {  // the document itself
      depth_ = 1;
      return true;
    }
    if (depth_ == 1) {
      if (map_member* m = map_of(field_)) {
        m->begin();
        map_ = m;
        depth_ = 2;
        return true;
      }
    }
    return ignore_container(ec);
  }
  bool on_object_end(std::size_t /*n*/, json::error_code& /*ec*/) {
    if (skip_ > 0) {
      --skip_;
    } else {
      --depth_;
    }
    return true;
  }
  bool on_array_begin(json::error_code& ec) {
    if (skip_ > 0) {
      ++skip_;
      return true;
    }
    return ignore_container(ec);
  }
  bool on_array_end(std::size_t /*n*/, json::error_code& /*ec*/) {
    --skip_;  // every array is skipped
    return true;
  }

  bool on_key_part(json::string_view s, std::size_t /*n*/, json::error_code& /*ec*/) {
    if (skip_ == 0) pieces_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t n, json::error_code& /*ec*/) {
    if (skip_ > 0) return true;
    const std::string_view k = whole(s, n);
    if (depth_ == 1) {
      field_ = field_named(k);
    } else {
      map_key_.assign(k);
    }
    pieces_.clear();
    return true;
  }

  bool on_string_part(json::string_view s, std::size_t /*n*/, json::error_code& /*ec*/) {
    if (skip_ == 0) pieces_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t n, json::error_code& ec) {
    if (skip_ > 0) return true;
    const std::string_view v = whole(s, n);
    bool ok = true;
    if (depth_ == 2) {
      map_->accept(map_key_, v);
    } else if (std::string* out = string_of(field_); out && depth_ == 1) {
      out->assign(v);
      string_state(field_) = seen::ok;
    } else {
      ok = other_value(ec);
    }
    pieces_.clear();
    return ok;
  }

  bool on_number_part(json::string_view /*s*/, json::error_code& /*ec*/) { return true; }
  bool on_int64(std::int64_t i, json::string_view /*s*/, json::error_code& ec) {
    if (skip_ > 0) return true;
    if (int_member* m = int_of(field_); m && depth_ == 1) {
      m->value = i;
      m->state = seen::ok;
      return true;
    }
    return other_value(ec);
  }
  bool on_uint64(std::uint64_t u, json::string_view s, json::error_code& ec) {
    if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return on_int64(static_cast<std::int64_t>(u), s, ec);
    }
    return skip_ > 0 || other_value(ec);
  }
  bool on_double(double /*d*/, json::string_view /*s*/, json::error_code& ec) {
    return skip_ > 0 || other_value(ec);
  }
  bool on_bool(bool /*b*/, json::error_code& ec) { return skip_ > 0 || other_value(ec); }
  bool on_null(json::error_code& ec) { return skip_ > 0 || other_value(ec); }
  bool on_comment_part(json::string_view /*s*/, json::error_code& /*ec*/) { return true; }
  bool on_comment(json::string_view /*s*/, json::error_code& /*ec*/) { return true; }

  // After a complete parse: the session, if every member was as required.
  boost::system::result<session> finish() && {
    const bool ok =
        ints_[0].state == seen::ok && ints_[0].value == session_format_version &&
        ints_[1].state == seen::ok && ints_[2].state == seen::ok &&
        std::none_of(strings_.begin(), strings_.end(), [](seen x) { return x == seen::wrong; }) &&
        attributes_.valid() && environments_.valid() && oidc_.valid();
    const std::int64_t level = ints_[1].value;
    const std::int64_t created = ints_[2].value;
    if (!ok || level < 0 || level > 3 || created < 0) return store_errc::corrupt;
    s_.level = static_cast<int>(level);
    s_.created_at = time_point{std::chrono::milliseconds{created}};
    return std::move(s_);
  }

 private:
  // A value that is not what its place asks for: the document is not an object (stop here),
  // or a known member has the wrong type, or a map entry is not a string. Unknown members'
  // values are ignored.
  bool other_value(json::error_code& ec) {
    if (depth_ == 0) {
      ec = json::error::not_object;
      return false;
    }
    if (depth_ == 2) {
      map_->reject(map_key_);
    } else if (map_member* m = map_of(field_)) {
      m->state = seen::wrong;
    } else if (int_member* i = int_of(field_)) {
      i->state = seen::wrong;
    } else if (field_ != field::unknown) {
      string_state(field_) = seen::wrong;
    }
    return true;
  }

  // An object or array in a place that wants something else: noted, then read past.
  bool ignore_container(json::error_code& ec) {
    if (!other_value(ec)) return false;
    ++skip_;
    return true;
  }

  std::string_view whole(json::string_view last, std::size_t n) {
    if (n == last.size()) return {last.data(), last.size()};  // arrived in one piece
    pieces_.append(last.data(), last.size());
    return pieces_;
  }

  map_member* map_of(field f) {
    if (f == field::attributes) return &attributes_;
    if (f == field::environments) return &environments_;
    if (f == field::oidc) return &oidc_;
    return nullptr;
  }
  int_member* int_of(field f) {
    if (f == field::v) return &ints_[0];
    if (f == field::level) return &ints_[1];
    if (f == field::created_at) return &ints_[2];
    return nullptr;
  }
  std::string* string_of(field f) {
    switch (f) {
      case field::provider:
        return &s_.provider;
      case field::idp:
        return &s_.idp_entity_id;
      case field::name_id:
        return &s_.name_id;
      case field::session_index:
        return &s_.session_index;
      case field::party:
        return &s_.selected_party;
      case field::csrf:
        return &s_.csrf_token;
      default:
        return nullptr;
    }
  }
  // Only for the fields string_of knows.
  seen& string_state(field f) {
    switch (f) {
      case field::provider:
        return strings_[0];
      case field::idp:
        return strings_[1];
      case field::name_id:
        return strings_[2];
      case field::session_index:
        return strings_[3];
      case field::party:
        return strings_[4];
      default:
        return strings_[5];
    }
  }

  session s_;
  std::array<int_member, 3> ints_;  // v, level, created_at
  std::array<seen, 6> strings_{};   // provider, idp, name_id, session_index, party, csrf
  map_member attributes_;
  map_member environments_;
  map_member oidc_;            // optional: missing in SAML sessions
  map_member* map_ = nullptr;  // the map being read while depth_ == 2
  field field_ = field::unknown;
  int depth_ = 0;         // objects open that are being read: 1 the document, 2 a map
  std::size_t skip_ = 0;  // containers open inside a value that is being ignored
  std::string map_key_;   // the key of the map entry being read
  std::string pieces_;    // a key or string that the parser hands over in parts
};

}  // namespace

boost::system::result<session> decode_session(std::string_view text, std::string_view key) {
  json::basic_parser<session_handler> parser(json::parse_options{}, key);
  json::error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (ec || used != text.size()) return store_errc::corrupt;
  return std::move(parser.handler()).finish();
}

}  // namespace varco::session
