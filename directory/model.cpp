#include "directory/model.hpp"

#include <array>
#include <utility>

namespace varco::directory {
namespace {

constexpr std::array<std::pair<party_role, std::string_view>, 5> role_names{{
    {party_role::manager, "MANAGER"},
    {party_role::delegate, "DELEGATE"},
    {party_role::sub_delegate, "SUB_DELEGATE"},
    {party_role::operator_, "OPERATOR"},
    {party_role::admin_ea, "ADMIN_EA"},
}};

}  // namespace

// ADMIN_EA (administrator of an aggregating institution) manages like the other administrator
// roles in Self Care, so it is labelled and treated as one.
bool is_administrator(party_role r) { return r != party_role::operator_; }

std::string_view to_string(party_role r) {
  for (const auto& [role, name] : role_names) {
    if (role == r) return name;
  }
  return "UNKNOWN";
}

bool parse_party_role(std::string_view text, party_role& out) {
  for (const auto& [role, name] : role_names) {
    if (name == text) {
      out = role;
      return true;
    }
  }
  return false;
}

std::string_view role_label(party_role r) {
  return is_administrator(r) ? "Amministratore" : "Operatore";
}

std::string_view to_string(membership_status s) {
  return s == membership_status::active ? "active" : "suspended";
}

bool parse_membership_status(std::string_view text, membership_status& out) {
  if (text == "active") {
    out = membership_status::active;
    return true;
  }
  if (text == "suspended") {
    out = membership_status::suspended;
    return true;
  }
  return false;
}

std::string_view work_email(const person& p, std::string_view party_id) {
  if (const auto it = p.work_emails.find(party_id); it != p.work_emails.end()) return it->second;
  return p.email;
}

}  // namespace varco::directory
