// The Area Riservata's view data, built from the session, the directory snapshot and the config:
// who is signed in, the selected party and the user's role there, every party the user may switch
// to, the party's active and available products, and the environments a product offers the user.
// Also the checks behind the area's forms (party switch, environment choice, CSRF).
//
// Pure functions over const data: no I/O, no clock; thread-safe. Pointers returned point into the
// config or the snapshot and live as long as they do.
#pragma once

#include "conf/config.hpp"
#include "directory/snapshot.hpp"
#include "session/session.hpp"

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace varco::gateway {

// Why an Area Riservata action is refused. Every one is a 4xx: the request names something the
// user may not have or do.
enum class area_errc {
  csrf_invalid = 1,         // 403: the form's token is not the session's
  bad_form,                 // 400: malformed body or a required field missing
  unknown_product,          // 404: no such product in the config
  unknown_environment,      // 404: the product has no such environment
  no_party_selected,        // 403: the user acts for no party
  not_a_party_member,       // 403: party switch to a party the user does not belong to
  not_a_member,             // 403: no membership on the selected party for the product
  membership_suspended,     // 403
  role_not_allowed,         // 403: the party role may not use the product
  environment_not_allowed,  // 403: the party role may not enter that environment
  not_administrator,        // 403: the page or action is for the party's Amministratori
  directory_read_only,      // 409: the directory is the YAML file (directory.backend: file)
  unknown_member,           // 404: no such membership on the party
  own_membership,           // 409: administrators do not suspend or remove themselves
  last_administrator,       // 409: the product would be left without an active administrator
  already_joined,           // 409: join request for a product the party has, or already asked
};

const boost::system::error_category& area_category() noexcept;
boost::system::error_code make_error_code(area_errc e) noexcept;
std::string_view reason_code(area_errc e) noexcept;  // "csrf_invalid", …
unsigned status_of(area_errc e) noexcept;            // 400, 403 or 404

// A party in the header's switcher.
struct party_choice {
  std::string id;
  std::string name;
  std::string logo;        // URL or /static path; may be empty
  std::string role_label;  // "Amministratore" or "Operatore"
  bool selected = false;
};

struct labelled_value {
  std::string label;  // Italian label ("Sede legale", "PEC", …; gateway/pages/party_labels.hpp)
  std::string value;
  bool value_is_label = false;  // the value is varco's own text (the party type), not data
};

// One environment a product offers the user, in the environment choice (dialog and page).
struct environment_option {
  std::string id;
  std::string label;
  std::string label_en;   // empty: label
  bool redirect = false;  // redirect mode: the portal opens outside the Area Riservata
  bool chosen = false;    // the session's current choice for the product (preselected)
};

struct product_card {
  std::string id;
  std::string title;
  std::string description;
  std::string title_en;  // the English title and description; empty: the Italian ones
  std::string description_en;
  std::string logo;             // may be empty: the page shows the title's initials instead
  std::string logo_bg_color;    // "#rrggbb" behind the logo or initials; may be empty
  std::string manage_url;       // /area/environment?product=<id>
  bool join_requested = false;  // available products: "Richiesta inviata"
  bool can_join = false;        // available products: "Aderisci" (administrators, not yet asked)
  // Active products: the environments the user may enter, for "Gestisci"'s dialog; empty when
  // the user may enter none (Gestisci then leads to the environment page, which says why).
  std::vector<environment_option> environments;
  // Available products nobody asked for yet, when this user cannot ask: an operator is told that
  // only an Amministratore may; an administrator over the read-only directory, to ask Assistenza.
  bool join_admin_only = false;
  bool join_through_support = false;
};

struct area_view {
  std::string user_name;  // "Mario Rossi"
  std::string fiscal_number;
  std::string provider;        // "spid" or "cie", as in the session
  std::string provider_label;  // "SPID", "CIE"
  std::string csrf_token;
  std::vector<party_choice> parties;  // every party with an active membership, by name
  bool has_party = false;             // false: no party to act for (none, or all suspended)
  party_choice current;               // the selected party (valid when has_party)
  bool is_admin = false;              // an Amministratore of the current party (Utenti, Aderisci)
  bool current_is_partner = false;    // it is a technology partner (PT): "I tuoi enti" applies
  // Registry data of the current party: name, type, fiscal code, IPA code, then the directory's
  // registry entries in file order, labelled for the party's type. Empty values are left out.
  std::vector<labelled_value> registry;
  std::vector<product_card> active;     // products the user may manage for the party
  std::vector<product_card> available;  // configured products the party has not joined
  // Where the user's access is suspended, so the page can say so instead of leaving it out:
  // parties where every membership of theirs is suspended (absent from `parties`), by name, and
  // products of the current party their membership is suspended on (absent from `active`).
  std::vector<party_choice> suspended_parties;
  std::vector<product_card> suspended_products;
};

// The Panoramica's data. The session's selected party is used when the user still belongs to it,
// else the first of their parties (the switcher corrects the session).
area_view build_area_view(const session::session& user, const directory::snapshot& directory,
                          const conf::config& config);

struct environment_view {
  std::string product_id;
  std::string product_title;
  std::string product_title_en;  // empty: the Italian title
  std::string product_logo;
  bool product_logo_bg = false;             // a logo_bg_color is configured (theme.css)
  std::string return_path;                  // already checked with safe_return_path; may be empty
  std::vector<environment_option> options;  // config order; only environments the role may enter
};

// The environments of `product_id` the user may choose for the selected party. Refused when the
// product is unknown or the user may not use it at all through the selected party.
boost::system::result<environment_view> environment_choices(const session::session& user,
                                                            const directory::snapshot& directory,
                                                            const conf::config& config,
                                                            std::string_view product_id);

// The environment a POSTed choice names, when the user may enter it (same rules as the proxy's
// decision: membership, party role, environment roles), proxied or redirect mode alike.
boost::system::result<const conf::environment*> check_environment_choice(
    const session::session& user, const directory::snapshot& directory, const conf::config& config,
    std::string_view product_id, std::string_view environment_id);

// Whether the user may act for `party_id` (an active membership there).
boost::system::result<void> check_party_switch(const session::session& user,
                                               const directory::snapshot& directory,
                                               std::string_view party_id);

// Constant-time comparison of a posted CSRF token with the session's; an empty token never
// matches.
bool csrf_matches(std::string_view posted, std::string_view expected) noexcept;

// Where "Gestisci" lands once an environment is chosen: the product's path prefix, else the root
// of its host.
std::string product_entry_url(const conf::product& product, bool tls);

// The login redirect for an /area request without a live session; `expired` when the browser
// sent a session cookie that no longer names a session.
std::string login_redirect(std::string_view target, bool expired);

}  // namespace varco::gateway

namespace boost::system {
template <>
struct is_error_code_enum<varco::gateway::area_errc> : std::true_type {};
}  // namespace boost::system
