#include "federation/metadata_policy.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>

namespace varco::federation {
namespace {

constexpr std::array<std::string_view, 7> known_operators = {
    "value", "add", "default", "one_of", "subset_of", "superset_of", "essential"};

bool is_known(std::string_view op) {
  return std::find(known_operators.begin(), known_operators.end(), op) != known_operators.end();
}

failure invalid(std::string_view parameter, std::string_view what) {
  return failure{reason::policy_invalid, std::string(parameter) + ": " + std::string(what)};
}

failure violation(std::string_view parameter, std::string_view what) {
  return failure{reason::policy_violation, std::string(parameter) + ": " + std::string(what)};
}

bool contains(const boost::json::array& list, const boost::json::value& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

boost::json::array union_of(const boost::json::array& a, const boost::json::array& b) {
  boost::json::array out = a;
  for (const auto& v : b)
    if (!contains(out, v)) out.push_back(v);
  return out;
}

boost::json::array intersection_of(const boost::json::array& a, const boost::json::array& b) {
  boost::json::array out;
  for (const auto& v : a)
    if (contains(b, v)) out.push_back(v);
  return out;
}

// The operators that take a list must be given one.
bool well_formed(std::string_view op, const boost::json::value& v) {
  if (op == "add" || op == "one_of" || op == "subset_of" || op == "superset_of")
    return v.is_array();
  if (op == "essential") return v.is_bool();
  return true;
}

outcome<void> merge_operator(boost::json::object& into, std::string_view parameter,
                             std::string_view op, const boost::json::value& value) {
  auto* existing = into.if_contains(op);
  if (existing == nullptr) {
    into[op] = value;
    return {};
  }
  if (op == "value" || op == "default") {
    if (*existing != value)
      return invalid(parameter, std::string(op) + " differs from a superior's");
  } else if (op == "add" || op == "superset_of") {
    *existing = union_of(existing->get_array(), value.get_array());
  } else if (op == "one_of" || op == "subset_of") {
    auto both = intersection_of(existing->get_array(), value.get_array());
    if (op == "one_of" && both.empty()) return invalid(parameter, "one_of leaves nothing");
    *existing = std::move(both);
  } else if (op == "essential") {
    if (existing->get_bool() && !value.get_bool())
      return invalid(parameter, "a superior made it essential");
    *existing = existing->get_bool() || value.get_bool();
  }
  return {};
}

// The operators of one parameter must agree with each other once merged.
outcome<void> check_combination(std::string_view parameter, const boost::json::object& ops) {
  const auto* value = ops.if_contains("value");
  if (value == nullptr || value->is_null()) return {};
  if (const auto* one_of = ops.if_contains("one_of");
      one_of && !contains(one_of->get_array(), *value))
    return invalid(parameter, "value is not one of one_of");
  if (const auto* add = ops.if_contains("add")) {
    if (!value->is_array()) return invalid(parameter, "value and add on a single value");
    for (const auto& v : add->get_array())
      if (!contains(value->get_array(), v)) return invalid(parameter, "value lacks what add adds");
  }
  return {};
}

}  // namespace

outcome<void> merge_policy(boost::json::object& merged, const boost::json::object& subordinate,
                           std::span<const std::string> crit) {
  for (const auto& [parameter, operators] : subordinate) {
    if (!operators.is_object()) return invalid(parameter, "operators are not an object");
    auto& into = merged[parameter];
    if (!into.is_object()) into = boost::json::object{};
    for (const auto& [op, value] : operators.get_object()) {
      if (!is_known(op)) {
        if (std::find(crit.begin(), crit.end(), std::string_view(op)) != crit.end())
          return invalid(parameter, "critical operator " + std::string(op) + " is not supported");
        continue;
      }
      if (!well_formed(op, value)) return invalid(parameter, "malformed " + std::string(op));
      if (auto ok = merge_operator(into.get_object(), parameter, op, value); !ok) return ok;
    }
    if (auto ok = check_combination(parameter, into.get_object()); !ok) return ok;
  }
  return {};
}

outcome<boost::json::object> apply_policy(boost::json::object metadata,
                                          const boost::json::object& policy) {
  for (const auto& [parameter, operators_value] : policy) {
    const auto& ops = operators_value.get_object();
    if (const auto* value = ops.if_contains("value")) {
      if (value->is_null())
        metadata.erase(parameter);
      else
        metadata[parameter] = *value;
    }
    if (const auto* add = ops.if_contains("add")) {
      auto* current = metadata.if_contains(parameter);
      if (current == nullptr)
        metadata[parameter] = add->get_array();
      else if (current->is_array())
        *current = union_of(current->get_array(), add->get_array());
      else
        return violation(parameter, "add on a single value");
    }
    if (const auto* def = ops.if_contains("default"); def && !metadata.contains(parameter))
      metadata[parameter] = *def;
    auto* current = metadata.if_contains(parameter);
    if (const auto* one_of = ops.if_contains("one_of"); one_of && current) {
      if (current->is_array() || !contains(one_of->get_array(), *current))
        return violation(parameter, "not one of " + boost::json::serialize(*one_of));
    }
    if (const auto* subset = ops.if_contains("subset_of"); subset && current) {
      if (!current->is_array()) return violation(parameter, "subset_of on a single value");
      *current = intersection_of(current->get_array(), subset->get_array());
    }
    if (const auto* superset = ops.if_contains("superset_of"); superset && current) {
      if (!current->is_array()) return violation(parameter, "superset_of on a single value");
      for (const auto& v : superset->get_array())
        if (!contains(current->get_array(), v))
          return violation(parameter, "lacks " + boost::json::serialize(v));
    }
    if (const auto* essential = ops.if_contains("essential");
        essential && essential->get_bool() && !metadata.contains(parameter)) {
      return violation(parameter, "essential and absent");
    }
  }
  return metadata;
}

}  // namespace varco::federation
