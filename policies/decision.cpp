#include "policies/decision.hpp"

#include <algorithm>
#include <array>

namespace varco::policies {
namespace {

decision allow(const directory::membership* m = nullptr) {
  return {verdict::allow, reason::allowed, m};
}
decision deny(std::string_view why, const directory::membership* m = nullptr) {
  return {verdict::deny, why, m};
}
decision not_applicable(const directory::membership* m = nullptr) {
  return {verdict::not_applicable, reason::default_deny, m};
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

const std::string& fiscal_number_of(const session::session& s) {
  // Read the map directly: the lookup must not depend on anything but the plain struct.
  static const std::string none;
  auto it = s.attributes.find("fiscalNumber");
  return it == s.attributes.end() ? none : it->second;
}

}  // namespace

decision rule_party_selected(const session::session& session) {
  return session.selected_party.empty() ? deny(reason::no_party_selected) : not_applicable();
}

decision rule_membership(const conf::product& product, const session::session& session,
                         const directory::snapshot& directory) {
  const std::string& user = fiscal_number_of(session);
  if (user.empty()) return deny(reason::not_a_member);
  const auto* m = directory.membership_for(user, session.selected_party, product.id);
  if (m == nullptr) return deny(reason::not_a_member);
  if (m->status != directory::membership_status::active) {
    return deny(reason::membership_suspended, m);
  }
  return allow(m);
}

decision rule_party_role(const conf::product& product, const directory::membership& m) {
  return contains(product.required_party_roles, directory::to_string(m.role))
             ? allow(&m)
             : deny(reason::role_not_allowed, &m);
}

decision rule_environment(const conf::product& product, const conf::environment& environment,
                          const directory::membership& m) {
  const auto& roles =
      environment.party_roles.empty() ? product.required_party_roles : environment.party_roles;
  return contains(roles, directory::to_string(m.role)) ? allow(&m)
                                                       : deny(reason::environment_not_allowed, &m);
}

bool prefix_matches(std::string_view prefix, std::string_view path) {
  // "" and "/" cover the whole product.
  if (prefix.empty() || prefix == "/") return true;
  if (prefix.back() == '/') prefix.remove_suffix(1);
  if (!path.starts_with(prefix)) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

const conf::path_rule* match_path_rule(const std::vector<conf::path_rule>& rules,
                                       std::string_view path) {
  const conf::path_rule* best = nullptr;
  for (const auto& rule : rules) {
    if (!prefix_matches(rule.prefix, path)) continue;
    if (best == nullptr || rule.prefix.size() > best->prefix.size()) best = &rule;
  }
  return best;
}

decision rule_path(const conf::product& product, const directory::membership& m,
                   std::string_view path_in_product) {
  const auto* rule = match_path_rule(product.path_rules, path_in_product);
  if (rule == nullptr) return not_applicable(&m);
  return contains(rule->product_roles, m.product_role) ? allow(&m)
                                                       : deny(reason::product_role_required, &m);
}

decision decide_access(const conf::product& product, const conf::environment& environment,
                       const session::session& session, const directory::snapshot& directory,
                       std::string_view path_in_product) {
  if (auto d = rule_party_selected(session); d.outcome == verdict::deny) return d;
  const decision member = rule_membership(product, session, directory);
  if (member.outcome != verdict::allow) return member;
  const auto& m = *member.membership;

  // The membership rule has allowed, which default deny requires; any later deny still wins.
  for (const decision& d : {rule_party_role(product, m), rule_environment(product, environment, m),
                            rule_path(product, m, path_in_product)}) {
    if (d.outcome == verdict::deny) return d;
  }
  return allow(&m);
}

std::string_view describe(std::string_view why, std::string_view lang) {
  struct sentence {
    std::string_view reason, it, en;
  };
  static constexpr std::array<sentence, 8> sentences{{
      {reason::no_party_selected,
       "Seleziona l'ente per cui vuoi operare prima di accedere al prodotto.",
       "Select the organisation you act for before opening the product."},
      {reason::not_a_member, "Non risulti abilitato a questo prodotto per l'ente selezionato.",
       "You are not enabled for this product on the selected organisation."},
      // The Panoramica's words for the same state (gateway/pages/templates/overview.mustache).
      {reason::membership_suspended,
       "La tua utenza per questo prodotto è sospesa. Per riattivarla rivolgiti a un "
       "Amministratore dell'ente.",
       "Your account for this product is suspended. To reactivate it, contact an Administrator "
       "of the organisation."},
      {reason::role_not_allowed, "Il tuo ruolo nell'ente non consente l'accesso a questo prodotto.",
       "Your role in the organisation does not give access to this product."},
      {reason::environment_not_allowed,
       "Il tuo ruolo non consente l'accesso a questo ambiente del prodotto.",
       "Your role does not give access to this environment of the product."},
      {reason::product_role_required,
       "Questa sezione del prodotto richiede un ruolo che non possiedi.",
       "This section of the product requires a role you do not have."},
      {reason::default_deny, "Accesso non consentito.", "Access denied."},
      {reason::allowed, "Accesso consentito.", "Access allowed."},
  }};
  for (const auto& s : sentences) {
    if (s.reason == why) return lang == "en" ? s.en : s.it;
  }
  return lang == "en" ? sentences[6].en : sentences[6].it;
}

}  // namespace varco::policies
