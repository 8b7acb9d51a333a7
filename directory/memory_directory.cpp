#include "directory/memory_directory.hpp"

#include "directory/directory_codec.hpp"

namespace varco::directory {
namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;  // clang-tidy's clang 14 has no aggregate CTAD

}  // namespace

boost::asio::awaitable<result<versioned_directory>> memory_directory::read() {
  std::lock_guard lock(mutex_);
  versioned_directory out;
  out.version = version_;
  if (version_ == 0) co_return out;
  directory_data data;
  data.parties = tables_.parties;
  data.delegations = tables_.delegations;
  for (const auto& [key, p] : tables_.people) data.people.push_back(p);
  for (const auto& [key, m] : tables_.memberships) data.memberships.push_back(m);
  for (const auto& [key, j] : tables_.join_requests) data.join_requests.push_back(j);
  out.data = std::move(data);
  co_return out;
}

boost::asio::awaitable<result<std::uint64_t>> memory_directory::apply(
    std::vector<directory_change> changes) {
  std::lock_guard lock(mutex_);
  if (version_ == 0) co_return session::store_errc::unavailable;
  for (auto& change : changes) {
    std::visit(overloaded{
                   [&](put_person& c) { tables_.people[record_key(c.value)] = std::move(c.value); },
                   [&](put_membership& c) {
                     tables_.memberships[record_key(c.value)] = std::move(c.value);
                   },
                   [&](remove_membership& c) {
                     tables_.memberships.erase(
                         membership_key(c.user_fiscal_number, c.party_id, c.product_id));
                   },
                   [&](put_join_request& c) {
                     tables_.join_requests[record_key(c.value)] = std::move(c.value);
                   },
               },
               change);
  }
  co_return ++version_;
}

boost::asio::awaitable<result<bool>> memory_directory::replace(directory_data data,
                                                               bool only_if_empty) {
  std::lock_guard lock(mutex_);
  if (only_if_empty && version_ != 0) co_return false;
  tables next;
  next.parties = std::move(data.parties);
  next.delegations = std::move(data.delegations);
  for (auto& p : data.people) next.people.emplace(record_key(p), std::move(p));
  for (auto& m : data.memberships) next.memberships.emplace(record_key(m), std::move(m));
  for (auto& j : data.join_requests) next.join_requests.emplace(record_key(j), std::move(j));
  tables_ = std::move(next);
  ++version_;
  co_return true;
}

}  // namespace varco::directory
