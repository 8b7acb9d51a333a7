#include "directory/snapshot.hpp"

#include <algorithm>
#include <tuple>

namespace varco::directory {
namespace {

auto user_key(const membership& m) {
  return std::tie(m.user_fiscal_number, m.party_id, m.product_id);
}
auto party_key(const membership& m) {
  return std::tie(m.party_id, m.user_fiscal_number, m.product_id);
}

}  // namespace

int role_rank(party_role r) {
  switch (r) {
    case party_role::manager:
      return 0;
    case party_role::delegate:
      return 1;
    case party_role::sub_delegate:
      return 2;
    case party_role::admin_ea:
      return 3;
    case party_role::operator_:
      return 4;
  }
  return 5;
}

snapshot::snapshot(std::vector<party> parties, std::vector<membership> memberships,
                   std::vector<delegation> delegations, std::uint64_t generation)
    : parties_(std::move(parties)),
      memberships_(std::move(memberships)),
      delegations_(std::move(delegations)),
      generation_(generation) {
  party_by_id_.reserve(parties_.size());
  for (const auto& p : parties_) party_by_id_.emplace(p.id, &p);

  std::stable_sort(
      memberships_.begin(), memberships_.end(),
      [](const membership& a, const membership& b) { return user_key(a) < user_key(b); });
  by_party_.reserve(memberships_.size());
  for (const auto& m : memberships_) by_party_.push_back(&m);
  std::stable_sort(
      by_party_.begin(), by_party_.end(),
      [](const membership* a, const membership* b) { return party_key(*a) < party_key(*b); });

  std::stable_sort(delegations_.begin(), delegations_.end(),
                   [](const delegation& a, const delegation& b) {
                     return std::tie(a.to_party, a.from_party, a.product_id) <
                            std::tie(b.to_party, b.from_party, b.product_id);
                   });
  by_institution_.reserve(delegations_.size());
  for (const auto& d : delegations_) by_institution_.push_back(&d);
  std::stable_sort(by_institution_.begin(), by_institution_.end(),
                   [](const delegation* a, const delegation* b) {
                     return std::tie(a->from_party, a->to_party, a->product_id) <
                            std::tie(b->from_party, b->to_party, b->product_id);
                   });
}

snapshot::snapshot(directory_data data, std::uint64_t generation)
    : snapshot(std::move(data.parties), std::move(data.memberships), std::move(data.delegations),
               generation) {
  people_ = std::move(data.people);
  std::stable_sort(people_.begin(), people_.end(), [](const person& a, const person& b) {
    return a.fiscal_number < b.fiscal_number;
  });
  join_requests_ = std::move(data.join_requests);
  std::stable_sort(join_requests_.begin(), join_requests_.end(),
                   [](const join_request& a, const join_request& b) {
                     return std::tie(a.party_id, a.product_id) < std::tie(b.party_id, b.product_id);
                   });
}

directory_data snapshot::data() const {
  return {parties_, people_, memberships_, delegations_, join_requests_};
}

const person* snapshot::find_person(std::string_view fiscal_number) const {
  auto it =
      std::lower_bound(people_.begin(), people_.end(), fiscal_number,
                       [](const person& p, std::string_view f) { return p.fiscal_number < f; });
  return it != people_.end() && it->fiscal_number == fiscal_number ? &*it : nullptr;
}

const join_request* snapshot::join_request_for(std::string_view party_id,
                                               std::string_view product_id) const {
  using key = std::pair<std::string_view, std::string_view>;
  const key wanted{party_id, product_id};
  auto it = std::lower_bound(join_requests_.begin(), join_requests_.end(), wanted,
                             [](const join_request& j, const key& k) {
                               return key{j.party_id, j.product_id} < k;
                             });
  if (it == join_requests_.end() || key{it->party_id, it->product_id} != wanted) return nullptr;
  return &*it;
}

const party* snapshot::find_party(std::string_view id) const {
  auto it = party_by_id_.find(id);
  return it == party_by_id_.end() ? nullptr : it->second;
}

std::span<const membership> snapshot::memberships_of(std::string_view user) const {
  auto lo = std::lower_bound(
      memberships_.begin(), memberships_.end(), user,
      [](const membership& m, std::string_view u) { return m.user_fiscal_number < u; });
  auto hi = std::upper_bound(
      lo, memberships_.end(), user,
      [](std::string_view u, const membership& m) { return u < m.user_fiscal_number; });
  return {lo, hi};
}

const membership* snapshot::membership_for(std::string_view user, std::string_view party_id,
                                           std::string_view product_id) const {
  using key = std::tuple<std::string_view, std::string_view, std::string_view>;
  const key wanted{user, party_id, product_id};
  auto view = [](const membership& m) {
    return key{m.user_fiscal_number, m.party_id, m.product_id};
  };
  auto it = std::lower_bound(memberships_.begin(), memberships_.end(), wanted,
                             [&](const membership& m, const key& k) { return view(m) < k; });
  if (it == memberships_.end() || view(*it) != wanted) return nullptr;
  return &*it;
}

std::vector<party_standing> snapshot::parties_of(std::string_view user) const {
  std::vector<party_standing> out;
  for (const auto& m : memberships_of(user)) {
    if (m.status != membership_status::active) continue;
    const party* p = find_party(m.party_id);
    if (p == nullptr) continue;
    // memberships_of is ordered by party, so equal parties are adjacent.
    if (!out.empty() && out.back().party == p) {
      if (role_rank(m.role) < role_rank(out.back().role)) out.back().role = m.role;
      continue;
    }
    out.push_back({p, m.role});
  }
  std::stable_sort(out.begin(), out.end(), [](const party_standing& a, const party_standing& b) {
    return std::tie(a.party->name, a.party->id) < std::tie(b.party->name, b.party->id);
  });
  return out;
}

std::vector<const membership*> snapshot::members_of(std::string_view party_id) const {
  auto lo =
      std::lower_bound(by_party_.begin(), by_party_.end(), party_id,
                       [](const membership* m, std::string_view id) { return m->party_id < id; });
  auto hi =
      std::upper_bound(lo, by_party_.end(), party_id,
                       [](std::string_view id, const membership* m) { return id < m->party_id; });
  return {lo, hi};
}

std::vector<const delegation*> snapshot::delegations_to(std::string_view partner_id) const {
  auto lo =
      std::lower_bound(delegations_.begin(), delegations_.end(), partner_id,
                       [](const delegation& d, std::string_view id) { return d.to_party < id; });
  std::vector<const delegation*> out;
  for (auto it = lo; it != delegations_.end() && it->to_party == partner_id; ++it) {
    out.push_back(&*it);
  }
  return out;
}

std::vector<const delegation*> snapshot::delegations_from(std::string_view institution_id) const {
  auto lo =
      std::lower_bound(by_institution_.begin(), by_institution_.end(), institution_id,
                       [](const delegation* d, std::string_view id) { return d->from_party < id; });
  auto hi =
      std::upper_bound(lo, by_institution_.end(), institution_id,
                       [](std::string_view id, const delegation* d) { return id < d->from_party; });
  return {lo, hi};
}

}  // namespace varco::directory
