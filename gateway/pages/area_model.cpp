#include "gateway/pages/area_model.hpp"

#include "gateway/http/url_encoding.hpp"
#include "gateway/pages/party_labels.hpp"
#include "policies/decision.hpp"

#include <algorithm>
#include <utility>

namespace varco::gateway {
namespace {

class area_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "varco.area"; }
  std::string message(int value) const override {
    return std::string(reason_code(static_cast<area_errc>(value)));
  }
};

// The proxy's policy reasons, as the area's own codes.
area_errc from_policy(std::string_view reason) {
  if (reason == policies::reason::no_party_selected) return area_errc::no_party_selected;
  if (reason == policies::reason::membership_suspended) return area_errc::membership_suspended;
  if (reason == policies::reason::role_not_allowed) return area_errc::role_not_allowed;
  if (reason == policies::reason::environment_not_allowed)
    return area_errc::environment_not_allowed;
  return area_errc::not_a_member;
}

std::string user_name_of(const session::session& user) {
  std::string name = user.attribute("name");
  const std::string& family = user.attribute("familyName");
  if (!name.empty() && !family.empty()) name += ' ';
  return name + family;
}

party_choice choice_of(const directory::party_standing& standing, std::string_view selected) {
  party_choice choice;
  choice.id = standing.party->id;
  choice.name = standing.party->name;
  choice.logo = standing.party->logo;
  choice.role_label = std::string(directory::role_label(standing.role));
  choice.selected = standing.party->id == selected;
  return choice;
}

void add_value(std::vector<labelled_value>& to, std::string_view label, const std::string& value,
               bool value_is_label = false) {
  if (!value.empty()) to.push_back({std::string(label), value, value_is_label});
}

product_card card_of(const conf::product& product) {
  product_card card;
  card.id = product.id;
  card.title = product.title.empty() ? product.id : product.title;
  card.description = product.description;
  card.title_en = product.title_en;
  card.description_en = product.description_en;
  card.logo = product.logo;
  card.logo_bg_color = product.logo_bg_color;
  card.manage_url = "/area/environment?product=" + percent_encode(product.id);
  return card;
}

// Whether any user of the party holds a membership (active or suspended) on the product.
bool party_joined(const directory::snapshot& directory, std::string_view party_id,
                  std::string_view product_id) {
  const auto members = directory.members_of(party_id);
  return std::any_of(members.begin(), members.end(),
                     [&](const directory::membership* m) { return m->product_id == product_id; });
}

// Parties where the user has memberships and every one is suspended, by name. parties_of leaves
// them out (nothing there to act for), but the user must learn why the party is gone.
std::vector<party_choice> suspended_parties_of(const directory::snapshot& directory,
                                               std::string_view fiscal_number) {
  std::vector<party_choice> out;
  const auto memberships = directory.memberships_of(fiscal_number);
  // memberships_of is ordered by party: each party's memberships are one run.
  for (auto run = memberships.begin(); run != memberships.end();) {
    const auto end = std::find_if(run, memberships.end(), [&](const directory::membership& m) {
      return m.party_id != run->party_id;
    });
    const bool any_active = std::any_of(run, end, [](const directory::membership& m) {
      return m.status == directory::membership_status::active;
    });
    if (const directory::party* party = directory.find_party(run->party_id);
        !any_active && party != nullptr)
      out.push_back(choice_of({party, run->role}, ""));
    run = end;
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const party_choice& a, const party_choice& b) { return a.name < b.name; });
  return out;
}

// Membership and party role for the product on the selected party: the rules the proxy applies
// before the environment and the path.
boost::system::result<const directory::membership*> product_membership(
    const session::session& user, const directory::snapshot& directory,
    const conf::product& product) {
  if (const auto d = policies::rule_party_selected(user); d.outcome == policies::verdict::deny)
    return make_error_code(area_errc::no_party_selected);
  const auto member = policies::rule_membership(product, user, directory);
  if (!member.allowed()) return make_error_code(from_policy(member.reason));
  const auto role = policies::rule_party_role(product, *member.membership);
  if (!role.allowed()) return make_error_code(from_policy(role.reason));
  return member.membership;
}

// The environments of `product` the membership's role may enter, in config order; the session's
// current choice marked, else the first.
std::vector<environment_option> environment_options(const session::session& user,
                                                    const conf::product& product,
                                                    const directory::membership& membership) {
  std::vector<environment_option> options;
  const auto current = user.environments.find(product.id);
  for (const auto& env : product.environments) {
    if (!policies::rule_environment(product, env, membership).allowed()) continue;
    environment_option option;
    option.id = env.id;
    option.label = env.label.empty() ? env.id : env.label;
    option.label_en = env.label_en;
    option.redirect = env.mode == conf::environment_mode::redirect;
    option.chosen = current != user.environments.end() && current->second == env.id;
    options.push_back(std::move(option));
  }
  const bool any_chosen =
      std::any_of(options.begin(), options.end(), [](const auto& o) { return o.chosen; });
  if (!any_chosen && !options.empty()) options.front().chosen = true;
  return options;
}

}  // namespace

const boost::system::error_category& area_category() noexcept {
  static const area_category_impl category;
  return category;
}

boost::system::error_code make_error_code(area_errc e) noexcept {
  return {static_cast<int>(e), area_category()};
}

std::string_view reason_code(area_errc e) noexcept {
  switch (e) {
    case area_errc::csrf_invalid:
      return "csrf_invalid";
    case area_errc::bad_form:
      return "bad_form";
    case area_errc::unknown_product:
      return "unknown_product";
    case area_errc::unknown_environment:
      return "unknown_environment";
    case area_errc::no_party_selected:
      return policies::reason::no_party_selected;
    case area_errc::not_a_party_member:
      return "not_a_party_member";
    case area_errc::not_a_member:
      return policies::reason::not_a_member;
    case area_errc::membership_suspended:
      return policies::reason::membership_suspended;
    case area_errc::role_not_allowed:
      return policies::reason::role_not_allowed;
    case area_errc::environment_not_allowed:
      return policies::reason::environment_not_allowed;
    case area_errc::not_administrator:
      return "not_administrator";
    case area_errc::directory_read_only:
      return "directory_read_only";
    case area_errc::unknown_member:
      return "unknown_member";
    case area_errc::own_membership:
      return "own_membership";
    case area_errc::last_administrator:
      return "last_administrator";
    case area_errc::already_joined:
      return "already_joined";
  }
  return "area_error";
}

unsigned status_of(area_errc e) noexcept {
  switch (e) {
    case area_errc::bad_form:
      return 400;
    case area_errc::unknown_product:
    case area_errc::unknown_environment:
    case area_errc::unknown_member:
      return 404;
    case area_errc::directory_read_only:
    case area_errc::own_membership:
    case area_errc::last_administrator:
    case area_errc::already_joined:
      return 409;
    default:
      return 403;
  }
}

area_view build_area_view(const session::session& user, const directory::snapshot& directory,
                          const conf::config& config) {
  area_view view;
  view.user_name = user_name_of(user);
  view.fiscal_number = user.fiscal_number();
  view.provider = user.provider;
  view.provider_label = user.provider == "cie"    ? "CIE"
                        : user.provider == "spid" ? "SPID"
                                                  : user.provider;
  // A standard OpenID Provider (a broker, a Keycloak) is named as the login page names it.
  if (auto it = user.oidc.find("provider"); user.provider == "oidc" && it != user.oidc.end()) {
    const auto* provider = config.oidc.find_provider(it->second);
    view.provider_label = provider != nullptr ? provider->name : it->second;
  }
  view.csrf_token = user.csrf_token;

  view.suspended_parties = suspended_parties_of(directory, view.fiscal_number);
  const auto standings = directory.parties_of(view.fiscal_number);
  if (standings.empty()) return view;
  const auto selected = std::find_if(standings.begin(), standings.end(), [&](const auto& s) {
    return s.party->id == user.selected_party;
  });
  const directory::party_standing& current =
      selected == standings.end() ? standings.front() : *selected;
  for (const auto& standing : standings)
    view.parties.push_back(choice_of(standing, current.party->id));
  view.has_party = true;
  view.current = choice_of(current, current.party->id);
  view.is_admin = directory::is_administrator(current.role);

  const directory::party& party = *current.party;
  view.current_is_partner = party.type == "PT";
  add_value(view.registry, party_name_label(party.type), party.name);
  add_value(view.registry, "Tipologia", std::string(party_type_label(party.type)), true);
  add_value(view.registry, "Codice fiscale", party.fiscal_code);
  add_value(view.registry, "Codice IPA", party.ipa_code);
  for (const auto& [key, value] : party.registry)
    add_value(view.registry, registry_label(key, party.type), value);

  for (const auto& product : config.products) {
    const auto* m = directory.membership_for(view.fiscal_number, party.id, product.id);
    if (m != nullptr && m->status == directory::membership_status::active) {
      product_card card = card_of(product);
      if (auto allowed = product_membership(user, directory, product))
        card.environments = environment_options(user, product, **allowed);
      view.active.push_back(std::move(card));
    } else if (m != nullptr) {
      view.suspended_products.push_back(card_of(product));
    } else if (!party_joined(directory, party.id, product.id)) {
      product_card card = card_of(product);
      card.join_requested = directory.join_request_for(party.id, product.id) != nullptr;
      const bool may_ask = view.is_admin && config.directory.writable();
      card.can_join = may_ask && !card.join_requested;
      card.join_admin_only = !view.is_admin && !card.join_requested;
      card.join_through_support = view.is_admin && !may_ask && !card.join_requested;
      view.available.push_back(std::move(card));
    }
    // Joined by the party through other users only: nothing this user can do here.
  }
  return view;
}

boost::system::result<environment_view> environment_choices(const session::session& user,
                                                            const directory::snapshot& directory,
                                                            const conf::config& config,
                                                            std::string_view product_id) {
  const conf::product* product = config.find_product(product_id);
  if (product == nullptr) return make_error_code(area_errc::unknown_product);
  auto membership = product_membership(user, directory, *product);
  if (!membership) return membership.error();

  environment_view view;
  view.product_id = product->id;
  view.product_title = product->title.empty() ? product->id : product->title;
  view.product_title_en = product->title_en;
  view.product_logo = product->logo;
  view.product_logo_bg = !product->logo_bg_color.empty();
  view.options = environment_options(user, *product, **membership);
  return view;
}

boost::system::result<const conf::environment*> check_environment_choice(
    const session::session& user, const directory::snapshot& directory, const conf::config& config,
    std::string_view product_id, std::string_view environment_id) {
  const conf::product* product = config.find_product(product_id);
  if (product == nullptr) return make_error_code(area_errc::unknown_product);
  const conf::environment* env = product->find_environment(environment_id);
  if (env == nullptr) return make_error_code(area_errc::unknown_environment);
  auto membership = product_membership(user, directory, *product);
  if (!membership) return membership.error();
  if (!policies::rule_environment(*product, *env, **membership).allowed())
    return make_error_code(area_errc::environment_not_allowed);
  return env;
}

boost::system::result<void> check_party_switch(const session::session& user,
                                               const directory::snapshot& directory,
                                               std::string_view party_id) {
  const auto standings = directory.parties_of(user.fiscal_number());
  const bool member = std::any_of(standings.begin(), standings.end(),
                                  [&](const auto& s) { return s.party->id == party_id; });
  if (!member) return make_error_code(area_errc::not_a_party_member);
  return {};
}

bool csrf_matches(std::string_view posted, std::string_view expected) noexcept {
  if (posted.empty() || posted.size() != expected.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < posted.size(); ++i)
    difference |= static_cast<unsigned char>(posted[i] ^ expected[i]);
  return difference == 0;
}

std::string product_entry_url(const conf::product& product, bool tls) {
  if (!product.path_prefix.empty()) return product.path_prefix + "/";
  return std::string(tls ? "https://" : "http://") + product.host + "/";
}

std::string login_redirect(std::string_view target, bool expired) {
  std::string location = "/login?return=" + percent_encode(target);
  if (expired) location += "&expired=1";
  return location;
}

}  // namespace varco::gateway
