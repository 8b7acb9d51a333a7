#include "gateway/pages/users_model.hpp"

#include "directory/file_loader.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace varco::gateway {
namespace {

using directory::membership_status;
using directory::party_role;

constexpr std::size_t max_name_length = 100;

// The party the user acts for: the session's selected party, when they still belong to it.
const directory::party_standing* acting_standing(
    const session::session& user, const std::vector<directory::party_standing>& standings) {
  auto it = std::find_if(standings.begin(), standings.end(),
                         [&](const auto& s) { return s.party->id == user.selected_party; });
  return it == standings.end() ? nullptr : &*it;
}

// An active administrator membership of `fiscal_number` on (party, product).
bool administers(const directory::snapshot& directory, std::string_view fiscal_number,
                 std::string_view party_id, std::string_view product_id) {
  const auto* m = directory.membership_for(fiscal_number, party_id, product_id);
  return m != nullptr && m->status == membership_status::active &&
         directory::is_administrator(m->role);
}

std::string title_of(const conf::config& config, std::string_view product_id) {
  const conf::product* product = config.find_product(product_id);
  if (product == nullptr || product->title.empty()) return std::string(product_id);
  return product->title;
}

std::string english_title_of(const conf::config& config, std::string_view product_id) {
  const conf::product* product = config.find_product(product_id);
  return product == nullptr ? std::string() : product->title_en;
}

std::string trimmed(std::string_view s) {
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool printable_name(std::string_view s) {
  return !s.empty() && s.size() <= max_name_length && std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f || c == '<' || c == '>';
  });
}

// Who acts, for which party: refused unless a writable directory and an administrator.
boost::system::result<const directory::party*> acting_administrator(
    const session::session& user, const directory::snapshot& directory,
    const conf::config& config) {
  if (!config.directory.writable()) return make_error_code(area_errc::directory_read_only);
  if (auto access = check_users_access(user, directory); !access) return access.error();
  return directory.find_party(user.selected_party);
}

}  // namespace

boost::system::result<void> check_users_access(const session::session& user,
                                               const directory::snapshot& directory) {
  if (user.selected_party.empty()) return make_error_code(area_errc::no_party_selected);
  const auto standings = directory.parties_of(user.fiscal_number());
  const auto* standing = acting_standing(user, standings);
  if (standing == nullptr) return make_error_code(area_errc::not_a_party_member);
  if (!directory::is_administrator(standing->role))
    return make_error_code(area_errc::not_administrator);
  return {};
}

users_view build_users_view(const session::session& user, const directory::snapshot& directory,
                            const conf::config& config) {
  users_view view;
  view.writable = config.directory.writable();
  const std::string& party_id = user.selected_party;
  const std::string& me = user.fiscal_number();
  for (const auto& product : config.products) {
    if (administers(directory, me, party_id, product.id))
      view.manageable_products.push_back(
          {product.id, title_of(config, product.id), product.title_en});
  }
  for (const auto* m : directory.members_of(party_id)) {
    member_row row;
    row.fiscal_number = m->user_fiscal_number;
    if (const auto* person = directory.find_person(m->user_fiscal_number)) {
      row.name = person->name;
      if (!row.name.empty() && !person->family_name.empty()) row.name += ' ';
      row.name += person->family_name;
      row.email = std::string(directory::work_email(*person, party_id));
    }
    row.product_id = m->product_id;
    row.product_title = title_of(config, m->product_id);
    row.product_title_en = english_title_of(config, m->product_id);
    row.role_label = std::string(directory::role_label(m->role));
    row.product_role = m->product_role;
    row.suspended = m->status == membership_status::suspended;
    row.manageable = view.writable && m->user_fiscal_number != me &&
                     administers(directory, me, party_id, m->product_id);
    view.rows.push_back(std::move(row));
  }
  std::stable_sort(
      view.rows.begin(), view.rows.end(), [](const member_row& a, const member_row& b) {
        // Unknown names sort after known ones, by fiscal number.
        return std::make_tuple(a.name.empty(), a.name, a.fiscal_number, a.product_title) <
               std::make_tuple(b.name.empty(), b.name, b.fiscal_number, b.product_title);
      });
  return view;
}

boost::system::result<std::vector<directory::directory_change>> check_add_member(
    const session::session& user, const directory::snapshot& directory, const conf::config& config,
    new_member_form& form, field_errors& problems) {
  auto party = acting_administrator(user, directory, config);
  if (!party) return party.error();

  form.fiscal_number = upper(trimmed(form.fiscal_number));
  if (form.fiscal_number.starts_with("TINIT-")) form.fiscal_number.erase(0, 6);
  form.name = trimmed(form.name);
  form.family_name = trimmed(form.family_name);
  form.email = trimmed(form.email);
  form.product = trimmed(form.product);
  form.role = trimmed(form.role);

  if (!directory::is_person_fiscal_number(form.fiscal_number))
    problems["fiscal_number"] = "Inserisci un codice fiscale di 16 lettere e cifre.";
  if (!printable_name(form.name))
    problems["name"] = "Inserisci il nome (al massimo 100 caratteri).";
  if (!printable_name(form.family_name))
    problems["family_name"] = "Inserisci il cognome (al massimo 100 caratteri).";
  if (!directory::is_email_address(form.email))
    problems["email"] = "Inserisci un indirizzo email valido, per esempio nome@ente.it.";
  if (form.role != "operator" && form.role != "admin")
    problems["role"] = "Scegli il ruolo: Operatore o Amministratore.";
  const std::string& me = user.fiscal_number();
  if (config.find_product(form.product) == nullptr) {
    problems["product"] = "Scegli uno dei prodotti dell'ente.";
  } else if (!administers(directory, me, (*party)->id, form.product)) {
    // Offered only for products the viewer administers: anything else is a forged form.
    return make_error_code(area_errc::not_administrator);
  } else if (problems.find("fiscal_number") == problems.end() &&
             directory.membership_for(form.fiscal_number, (*party)->id, form.product) != nullptr) {
    problems["fiscal_number"] = "Questo utente ha già un ruolo sul prodotto scelto.";
  }
  if (!problems.empty()) return make_error_code(area_errc::bad_form);

  std::vector<directory::directory_change> changes;
  // The typed e-mail is the user's work e-mail at this party only (never their e-mail elsewhere).
  // A known person keeps the name another administrator (or the YAML file) gave them.
  const directory::person* known = directory.find_person(form.fiscal_number);
  directory::person person =
      known != nullptr ? *known
                       : directory::person{form.fiscal_number, form.name, form.family_name};
  if (known == nullptr || directory::work_email(*known, (*party)->id) != form.email) {
    person.work_emails[(*party)->id] = form.email;
    changes.emplace_back(directory::put_person{std::move(person)});
  }
  directory::membership m;
  m.user_fiscal_number = form.fiscal_number;
  m.party_id = (*party)->id;
  m.product_id = form.product;
  m.role = form.role == "admin" ? party_role::sub_delegate : party_role::operator_;
  m.product_role = form.role;
  m.status = membership_status::active;
  changes.emplace_back(directory::put_membership{std::move(m)});
  return changes;
}

bool parse_member_action(std::string_view text, member_action& out) {
  if (text == "suspend") {
    out = member_action::suspend;
  } else if (text == "reactivate") {
    out = member_action::reactivate;
  } else if (text == "remove") {
    out = member_action::remove;
  } else {
    return false;
  }
  return true;
}

boost::system::result<std::vector<directory::directory_change>> check_member_action(
    const session::session& user, const directory::snapshot& directory, const conf::config& config,
    std::string_view member_fiscal_number, std::string_view product_id, member_action action) {
  auto party = acting_administrator(user, directory, config);
  if (!party) return party.error();
  if (config.find_product(product_id) == nullptr)
    return make_error_code(area_errc::unknown_product);
  const std::string& me = user.fiscal_number();
  if (!administers(directory, me, (*party)->id, product_id))
    return make_error_code(area_errc::not_administrator);
  const auto* target = directory.membership_for(member_fiscal_number, (*party)->id, product_id);
  if (target == nullptr) return make_error_code(area_errc::unknown_member);
  if (target->user_fiscal_number == me) return make_error_code(area_errc::own_membership);

  if (action != member_action::reactivate && directory::is_administrator(target->role) &&
      target->status == membership_status::active) {
    const auto members = directory.members_of((*party)->id);
    const bool another_admin = std::any_of(members.begin(), members.end(), [&](const auto* m) {
      return m != target && m->product_id == product_id && m->status == membership_status::active &&
             directory::is_administrator(m->role);
    });
    if (!another_admin) return make_error_code(area_errc::last_administrator);
  }

  std::vector<directory::directory_change> changes;
  if (action == member_action::remove) {
    changes.emplace_back(directory::remove_membership{target->user_fiscal_number, target->party_id,
                                                      target->product_id});
  } else {
    directory::membership changed = *target;
    changed.status =
        action == member_action::suspend ? membership_status::suspended : membership_status::active;
    changes.emplace_back(directory::put_membership{std::move(changed)});
  }
  return changes;
}

boost::system::result<std::vector<directory::directory_change>> check_join_request(
    const session::session& user, const directory::snapshot& directory, const conf::config& config,
    std::string_view product_id, std::string now_iso) {
  auto party = acting_administrator(user, directory, config);
  if (!party) return party.error();
  if (config.find_product(product_id) == nullptr)
    return make_error_code(area_errc::unknown_product);
  const auto members = directory.members_of((*party)->id);
  const bool joined = std::any_of(members.begin(), members.end(),
                                  [&](const auto* m) { return m->product_id == product_id; });
  if (joined || directory.join_request_for((*party)->id, product_id) != nullptr)
    return make_error_code(area_errc::already_joined);
  std::vector<directory::directory_change> changes;
  changes.emplace_back(directory::put_join_request{
      {(*party)->id, std::string(product_id), user.fiscal_number(), std::move(now_iso)}});
  return changes;
}

}  // namespace varco::gateway
