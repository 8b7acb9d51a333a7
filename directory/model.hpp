// The directory: parties (institutions and technology partners), who belongs to them with which
// role on which product, and which institution delegated which partner.
//
// A directory is an immutable snapshot (directory/snapshot.hpp) read without locks on the request
// path; the backends (the read-only YAML file, or the writable store of directory_store.hpp) build
// a new snapshot and swap it whole.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace varco::directory {

// Party roles as in pagoPA Self Care.
enum class party_role { manager, delegate, sub_delegate, operator_, admin_ea };

// MANAGER, DELEGATE, SUB_DELEGATE → "Amministratore"; OPERATOR → "Operatore".
bool is_administrator(party_role r);
std::string_view to_string(party_role r);                       // "MANAGER", …
bool parse_party_role(std::string_view text, party_role& out);  // exact upper-case names
std::string_view role_label(party_role r);                      // "Amministratore" or "Operatore"

struct party {
  std::string id;
  std::string name;
  std::string type;  // PA, PT, PSP, GSP, …
  std::string fiscal_code;
  std::string ipa_code;
  std::string logo;
  // Registry data shown on Panoramica, in file order: address, pec, zip, city, … → value.
  std::vector<std::pair<std::string, std::string>> registry;
};

enum class membership_status { active, suspended };

std::string_view to_string(membership_status s);  // "active", "suspended"
bool parse_membership_status(std::string_view text, membership_status& out);  // exact names

struct membership {
  std::string user_fiscal_number;  // without TINIT-
  std::string party_id;
  std::string product_id;
  party_role role = party_role::operator_;
  std::string product_role;  // admin, operator, api, …
  membership_status status = membership_status::active;
};

struct delegation {
  std::string from_party;  // institution
  std::string to_party;    // technology partner
  std::string product_id;
  std::string since;  // ISO date
};

// A person known to the directory: what the Utenti page shows next to a fiscal number. Names come
// from the administrator who added the user (or the YAML file), not from the SPID assertion.
struct person {
  std::string fiscal_number;  // without TINIT-, upper case
  std::string name;
  std::string family_name;
  std::string email;  // the work e-mail at every party without one in work_emails; may be empty
  // The work e-mail registered for a party ("email istituzionale"), party id → address: Self Care
  // keeps one per institution, and no party sees another's.
  std::map<std::string, std::string, std::less<>> work_emails;
};

// The person's work e-mail at the party: its work_emails entry, else `email`; "" when neither.
std::string_view work_email(const person& p, std::string_view party_id);

// An administrator's request that the party join a product ("Aderisci"), kept until an operator
// of the product handles it outside varco.
struct join_request {
  std::string party_id;
  std::string product_id;
  std::string requested_by;  // fiscal number of the administrator
  std::string requested_at;  // ISO 8601 UTC
};

// Everything a directory holds, as plain lists: what a backend reads or writes whole.
struct directory_data {
  std::vector<party> parties;
  std::vector<person> people;
  std::vector<membership> memberships;
  std::vector<delegation> delegations;
  std::vector<join_request> join_requests;
};

}  // namespace varco::directory
