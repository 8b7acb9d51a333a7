// The Utenti page and the Aderisci action: who belongs to the selected party on which product,
// and the rules behind an administrator's changes (add a user, suspend, reactivate, remove, ask
// to join a product). The checks return the directory changes to apply; nothing here writes.
//
// Pure functions over const data (session, snapshot, config) and an explicit clock value: no I/O;
// thread-safe. Rules, as in pagoPA Self Care:
//   - only an Amministratore of the party sees Utenti; an administrator manages the users of the
//     products they administer there;
//   - a new user is added as Operatore or Amministratore of one product;
//   - nobody suspends or removes their own membership, and a product keeps at least one active
//     administrator on the party;
//   - changes need a writable directory (directory.backend memory or redis).
#pragma once

#include "conf/config.hpp"
#include "directory/directory_store.hpp"
#include "directory/snapshot.hpp"
#include "gateway/pages/area_model.hpp"
#include "session/session.hpp"

#include <boost/system/result.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace varco::gateway {

struct member_row {
  std::string fiscal_number;
  std::string name;   // "Mario Rossi"; empty when the directory has no person record
  std::string email;  // the person's work e-mail at this party (directory::work_email)
  std::string product_id;
  std::string product_title;
  std::string product_title_en;  // empty: product_title
  std::string role_label;        // "Amministratore" or "Operatore"
  std::string product_role;
  bool suspended = false;
  bool manageable = false;  // the viewer may suspend/reactivate/remove this row
};

struct product_option {
  std::string id;
  std::string title;
  std::string title_en;  // empty: title
};

struct users_view {
  std::vector<member_row> rows;  // by name (fiscal number when unknown), then product
  std::vector<product_option> manageable_products;  // products the viewer administers here
  bool writable = false;                            // the directory takes changes
};

// The form of "Aggiungi utente", as typed (kept for re-display when invalid).
struct new_member_form {
  std::string fiscal_number;
  std::string name;
  std::string family_name;
  std::string email;
  std::string product;
  std::string role;  // "operator" or "admin"
};

// Field name → what is wrong with it, in Italian, for the form's error messages.
using field_errors = std::map<std::string, std::string>;

// Refused unless the user is an administrator of the selected party.
boost::system::result<void> check_users_access(const session::session& user,
                                               const directory::snapshot& directory);

users_view build_users_view(const session::session& user, const directory::snapshot& directory,
                            const conf::config& config);

// The changes that add the member, or the reason the request is refused. Field problems (shape,
// an existing membership) go to `problems` and the result is bad_form; rule problems are errors.
boost::system::result<std::vector<directory::directory_change>> check_add_member(
    const session::session& user, const directory::snapshot& directory, const conf::config& config,
    new_member_form& form, field_errors& problems);

enum class member_action { suspend, reactivate, remove };
bool parse_member_action(std::string_view text, member_action& out);

boost::system::result<std::vector<directory::directory_change>> check_member_action(
    const session::session& user, const directory::snapshot& directory, const conf::config& config,
    std::string_view member_fiscal_number, std::string_view product_id, member_action action);

// "Aderisci": a durable join request of the selected party for a product it has not joined.
// `now_iso` is the request's timestamp (ISO 8601 UTC).
boost::system::result<std::vector<directory::directory_change>> check_join_request(
    const session::session& user, const directory::snapshot& directory, const conf::config& config,
    std::string_view product_id, std::string now_iso);

}  // namespace varco::gateway
