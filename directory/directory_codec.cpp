#include "directory/directory_codec.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace varco::directory {
namespace {

namespace json = boost::json;

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

// A string member; `required` ones must be present and non-empty.
bool read(const json::object& o, std::string_view key, std::string& out, bool required) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return !required;
  if (!v->is_string()) return false;
  out = std::string(v->as_string());
  return !required || !out.empty();
}

}  // namespace

std::string encode(const party& value) {
  json::object registry;
  json::array order;  // JSON objects have no order; the registry's is kept beside it
  for (const auto& [k, v] : value.registry) {
    registry[k] = v;
    order.emplace_back(k);
  }
  return json::serialize(json::object{{"id", value.id},
                                      {"name", value.name},
                                      {"type", value.type},
                                      {"fiscal_code", value.fiscal_code},
                                      {"ipa_code", value.ipa_code},
                                      {"logo", value.logo},
                                      {"registry", std::move(registry)},
                                      {"registry_order", std::move(order)}});
}

std::string encode(const person& value) {
  json::object work_emails;
  for (const auto& [party_id, address] : value.work_emails) work_emails[party_id] = address;
  return json::serialize(json::object{{"fiscal_number", value.fiscal_number},
                                      {"name", value.name},
                                      {"family_name", value.family_name},
                                      {"email", value.email},
                                      {"work_emails", std::move(work_emails)}});
}

std::string encode(const membership& value) {
  return json::serialize(json::object{{"user", value.user_fiscal_number},
                                      {"party", value.party_id},
                                      {"product", value.product_id},
                                      {"party_role", to_string(value.role)},
                                      {"product_role", value.product_role},
                                      {"status", to_string(value.status)}});
}

std::string encode(const delegation& value) {
  return json::serialize(json::object{{"from", value.from_party},
                                      {"to", value.to_party},
                                      {"product", value.product_id},
                                      {"since", value.since}});
}

std::string encode(const join_request& value) {
  return json::serialize(json::object{{"party", value.party_id},
                                      {"product", value.product_id},
                                      {"requested_by", value.requested_by},
                                      {"requested_at", value.requested_at}});
}

std::optional<party> decode_party(std::string_view text) {
  auto o = parse_object(text);
  if (!o) return std::nullopt;
  party p;
  if (!read(*o, "id", p.id, true) || !read(*o, "name", p.name, true) ||
      !read(*o, "type", p.type, true) || !read(*o, "fiscal_code", p.fiscal_code, true) ||
      !read(*o, "ipa_code", p.ipa_code, false) || !read(*o, "logo", p.logo, false)) {
    return std::nullopt;
  }
  const json::value* registry = o->if_contains("registry");
  const json::value* order = o->if_contains("registry_order");
  if (registry != nullptr && registry->is_object() && order != nullptr && order->is_array()) {
    for (const auto& key : order->as_array()) {
      if (!key.is_string()) return std::nullopt;
      const json::value* v = registry->as_object().if_contains(key.as_string());
      if (v == nullptr || !v->is_string()) return std::nullopt;
      p.registry.emplace_back(std::string(key.as_string()), std::string(v->as_string()));
    }
  }
  return p;
}

std::optional<person> decode_person(std::string_view text) {
  auto o = parse_object(text);
  if (!o) return std::nullopt;
  person p;
  if (!read(*o, "fiscal_number", p.fiscal_number, true) || !read(*o, "name", p.name, false) ||
      !read(*o, "family_name", p.family_name, false) || !read(*o, "email", p.email, false)) {
    return std::nullopt;
  }
  // Absent in records written before work e-mails existed: the person then has none.
  if (const json::value* work = o->if_contains("work_emails");
      work != nullptr && !work->is_null()) {
    if (!work->is_object()) return std::nullopt;
    for (const auto& [party_id, address] : work->as_object()) {
      if (!address.is_string()) return std::nullopt;
      p.work_emails.emplace(std::string(party_id), std::string(address.as_string()));
    }
  }
  return p;
}

std::optional<membership> decode_membership(std::string_view text) {
  auto o = parse_object(text);
  if (!o) return std::nullopt;
  membership m;
  std::string role;
  std::string status;
  if (!read(*o, "user", m.user_fiscal_number, true) || !read(*o, "party", m.party_id, true) ||
      !read(*o, "product", m.product_id, true) || !read(*o, "party_role", role, true) ||
      !read(*o, "product_role", m.product_role, true) || !read(*o, "status", status, true) ||
      !parse_party_role(role, m.role) || !parse_membership_status(status, m.status)) {
    return std::nullopt;
  }
  return m;
}

std::optional<delegation> decode_delegation(std::string_view text) {
  auto o = parse_object(text);
  if (!o) return std::nullopt;
  delegation d;
  if (!read(*o, "from", d.from_party, true) || !read(*o, "to", d.to_party, true) ||
      !read(*o, "product", d.product_id, true) || !read(*o, "since", d.since, false)) {
    return std::nullopt;
  }
  return d;
}

std::optional<join_request> decode_join_request(std::string_view text) {
  auto o = parse_object(text);
  if (!o) return std::nullopt;
  join_request j;
  if (!read(*o, "party", j.party_id, true) || !read(*o, "product", j.product_id, true) ||
      !read(*o, "requested_by", j.requested_by, true) ||
      !read(*o, "requested_at", j.requested_at, false)) {
    return std::nullopt;
  }
  return j;
}

std::string record_key(const person& value) { return value.fiscal_number; }

std::string membership_key(std::string_view user, std::string_view party,
                           std::string_view product) {
  // '|' appears in none of the three (fiscal numbers are alphanumeric, ids are config names).
  std::string key;
  key.reserve(user.size() + party.size() + product.size() + 2);
  key.append(user).append("|").append(party).append("|").append(product);
  return key;
}

std::string record_key(const membership& value) {
  return membership_key(value.user_fiscal_number, value.party_id, value.product_id);
}

std::string record_key(const delegation& value) {
  return value.from_party + "|" + value.to_party + "|" + value.product_id;
}

std::string record_key(const join_request& value) {
  return value.party_id + "|" + value.product_id;
}

}  // namespace varco::directory
