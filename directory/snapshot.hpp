// An immutable, indexed view of the whole directory.
//
// Built once by a backend (file_loader now, Redis later) and then shared as
// std::shared_ptr<const snapshot>: every member function is const and touches no mutable state, so
// any number of threads may read one snapshot without locks. A reload builds a new snapshot with a
// higher generation() and swaps the pointer; caches keyed on the generation then miss naturally.
//
// Returned pointers and spans point into the snapshot and live as long as it does.
#pragma once

#include "directory/model.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace varco::directory {

// A party the user belongs to, with the strongest role the user holds there on any product.
struct party_standing {
  const ::varco::directory::party* party = nullptr;
  party_role role = party_role::operator_;
};

class snapshot {
 public:
  snapshot() = default;
  // Takes the data by value and indexes it. Duplicates are the loader's business: when two
  // memberships share (user, party, product), membership_for returns one of them.
  snapshot(std::vector<party> parties, std::vector<membership> memberships,
           std::vector<delegation> delegations, std::uint64_t generation);
  snapshot(directory_data data, std::uint64_t generation);

  snapshot(const snapshot&) = delete;
  snapshot& operator=(const snapshot&) = delete;
  snapshot(snapshot&&) = default;
  snapshot& operator=(snapshot&&) = default;

  const party* find_party(std::string_view id) const;
  // The person record of a fiscal number; nullptr when the directory has none (names unknown).
  const person* find_person(std::string_view fiscal_number) const;
  // The pending join request of (party, product); nullptr when there is none.
  const join_request* join_request_for(std::string_view party_id,
                                       std::string_view product_id) const;

  // Every membership of the user, on every party and product (active or suspended), ordered by
  // party id then product id.
  std::span<const membership> memberships_of(std::string_view user_fiscal_number) const;

  // The membership of (user, party, product), active or not; nullptr when there is none.
  const membership* membership_for(std::string_view user_fiscal_number, std::string_view party_id,
                                   std::string_view product_id) const;

  // Distinct parties where the user has at least one ACTIVE membership, with the strongest role
  // held there (administrators over operators), ordered by party name. Suspended memberships are
  // left out: they must not offer a party to choose.
  std::vector<party_standing> parties_of(std::string_view user_fiscal_number) const;

  // Memberships on the party (every user and product), ordered by user then product.
  std::vector<const membership*> members_of(std::string_view party_id) const;

  std::vector<const delegation*> delegations_to(std::string_view partner_id) const;
  std::vector<const delegation*> delegations_from(std::string_view institution_id) const;

  const std::vector<party>& parties() const { return parties_; }
  const std::vector<person>& people() const { return people_; }
  const std::vector<membership>& memberships() const { return memberships_; }
  const std::vector<delegation>& delegations() const { return delegations_; }
  const std::vector<join_request>& join_requests() const { return join_requests_; }
  // A copy of everything, for a backend that writes the directory whole.
  directory_data data() const;
  std::uint64_t generation() const { return generation_; }

 private:
  std::vector<party> parties_;
  std::unordered_map<std::string_view, const party*> party_by_id_;  // views into parties_
  std::vector<membership> memberships_;            // sorted by (user, party, product)
  std::vector<const membership*> by_party_;        // sorted by (party, user, product)
  std::vector<delegation> delegations_;            // sorted by (to, from, product)
  std::vector<const delegation*> by_institution_;  // sorted by (from, to, product)
  std::vector<person> people_;                     // sorted by fiscal number
  std::vector<join_request> join_requests_;        // sorted by (party, product)
  std::uint64_t generation_ = 0;
};

// Orders administrator roles before operators; a lower rank is stronger.
int role_rank(party_role r);

}  // namespace varco::directory
