#include "gateway/pages/delegations_model.hpp"

#include "gateway/http/form_body.hpp"
#include "gateway/http/url_encoding.hpp"
#include "gateway/pages/party_labels.hpp"

#include <algorithm>
#include <charconv>
#include <tuple>

namespace varco::gateway {
namespace {

class delegations_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "varco.delegations"; }
  std::string message(int value) const override {
    return std::string(reason_code(static_cast<delegations_errc>(value)));
  }
};

std::string_view trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

// Lower case for ASCII and for UTF-8 À…Þ (C3 80…C3 9E, except × at C3 97), which become à…þ by
// adding 0x20 to the second byte. Other bytes are kept: a search is a substring, not a collation.
std::string fold_case(std::string_view text) {
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto& c = out[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (static_cast<unsigned char>(c) == 0xC3 && i + 1 < out.size()) {
      auto& next = out[i + 1];
      const auto byte = static_cast<unsigned char>(next);
      if (byte >= 0x80 && byte <= 0x9E && byte != 0x97) next = static_cast<char>(byte + 0x20);
      ++i;
    }
  }
  return out;
}

bool is_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string field_of(const std::map<std::string, std::string>& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

delegation_row row_of(const directory::delegation& d, const directory::snapshot& directory,
                      const conf::config& config) {
  delegation_row row;
  row.party_id = d.from_party;
  // The loader refuses delegations from unknown parties; a snapshot built elsewhere may not,
  // so the id stands in for a missing name rather than dropping the row.
  if (const auto* from = directory.find_party(d.from_party); from != nullptr) {
    row.name = from->name;
    row.fiscal_code = from->fiscal_code;
  } else {
    row.name = d.from_party;
  }
  row.product_id = d.product_id;
  const auto* product = config.find_product(d.product_id);
  row.product_title = product != nullptr && !product->title.empty() ? product->title : d.product_id;
  if (product != nullptr) row.product_title_en = product->title_en;
  row.since = italian_date(d.since);
  return row;
}

}  // namespace

const boost::system::error_category& delegations_category() noexcept {
  static const delegations_category_impl category;
  return category;
}

boost::system::error_code make_error_code(delegations_errc e) noexcept {
  return {static_cast<int>(e), delegations_category()};
}

std::string_view reason_code(delegations_errc e) noexcept {
  switch (e) {
    case delegations_errc::bad_query:
      return "bad_query";
    case delegations_errc::search_too_long:
      return "search_too_long";
    case delegations_errc::bad_page:
      return "bad_page";
  }
  return "delegations_error";
}

boost::system::result<delegations_query> parse_delegations_query(std::string_view query_string) {
  auto params = parse_query(query_string);
  if (!params) return make_error_code(delegations_errc::bad_query);
  delegations_query query;
  const std::string search = field_of(*params, "q");
  if (search.size() > max_delegations_search_bytes)
    return make_error_code(delegations_errc::search_too_long);
  query.search = std::string(trim(search));
  if (auto it = params->find("page"); it != params->end()) {
    const std::string_view text = it->second;
    if (!is_digits(text) || text.size() > max_page_digits)
      return make_error_code(delegations_errc::bad_page);
    std::size_t page = 0;
    std::from_chars(text.data(), text.data() + text.size(), page);
    if (page == 0) return make_error_code(delegations_errc::bad_page);
    query.page = page;
  }
  return query;
}

page_slice slice_page(std::size_t total_rows, std::size_t per_page, std::size_t requested_page) {
  page_slice slice;
  slice.pages = total_rows == 0 ? 1 : (total_rows + per_page - 1) / per_page;
  slice.page = std::clamp<std::size_t>(requested_page, 1, slice.pages);
  slice.first = (slice.page - 1) * per_page;
  slice.count = std::min(per_page, total_rows - std::min(total_rows, slice.first));
  return slice;
}

std::string delegations_url(std::string_view search, std::size_t page) {
  std::string url = "/area/delegations";
  char separator = '?';
  if (!search.empty()) {
    url += "?q=" + percent_encode(search);
    separator = '&';
  }
  if (page > 1) {
    url += separator;
    url += "page=" + std::to_string(page);
  }
  return url;
}

std::vector<page_link> pagination_links(std::size_t page, std::size_t pages,
                                        std::string_view search) {
  std::vector<page_link> links;
  std::size_t previous = 0;
  for (std::size_t n = 1; n <= pages; ++n) {
    const bool near = n + 2 >= page && n <= page + 2;
    if (n != 1 && n != pages && !near) continue;
    if (previous != 0 && n != previous + 1) links.push_back({});  // the gap
    links.push_back({n, n == page, delegations_url(search, n)});
    previous = n;
  }
  return links;
}

std::string italian_date(std::string_view iso_date) {
  const bool iso = iso_date.size() == 10 && iso_date[4] == '-' && iso_date[7] == '-' &&
                   is_digits(iso_date.substr(0, 4)) && is_digits(iso_date.substr(5, 2)) &&
                   is_digits(iso_date.substr(8, 2));
  if (!iso) return std::string(iso_date);
  std::string out;
  out.reserve(10);
  out.append(iso_date.substr(8, 2)).append("/");
  out.append(iso_date.substr(5, 2)).append("/");
  out.append(iso_date.substr(0, 4));
  return out;
}

bool contains_ignoring_case(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  return fold_case(haystack).find(fold_case(needle)) != std::string::npos;
}

delegations_view build_delegations_view(const area_view& area, const directory::snapshot& directory,
                                        const conf::config& config,
                                        const delegations_query& query) {
  delegations_view view;
  view.search = query.search;
  const directory::party* partner =
      area.has_party ? directory.find_party(area.current.id) : nullptr;
  if (partner == nullptr) return view;
  view.partner_name = partner->name;
  view.partner_type = std::string(party_type_label(partner->type));
  view.applies = partner->type == "PT";
  if (!view.applies) return view;

  std::vector<delegation_row> matching;
  for (const auto* d : directory.delegations_to(partner->id)) {
    delegation_row row = row_of(*d, directory, config);
    if (contains_ignoring_case(row.name, query.search) ||
        contains_ignoring_case(row.fiscal_code, query.search)) {
      matching.push_back(std::move(row));
    }
  }
  std::sort(matching.begin(), matching.end(), [](const auto& a, const auto& b) {
    return std::forward_as_tuple(fold_case(a.name), a.party_id, fold_case(a.product_title)) <
           std::forward_as_tuple(fold_case(b.name), b.party_id, fold_case(b.product_title));
  });

  view.total = matching.size();
  view.slice = slice_page(matching.size(), delegations_per_page, query.page);
  const auto first = matching.begin() + static_cast<std::ptrdiff_t>(view.slice.first);
  view.rows.assign(std::make_move_iterator(first),
                   std::make_move_iterator(first + static_cast<std::ptrdiff_t>(view.slice.count)));
  if (view.slice.pages > 1)
    view.links = pagination_links(view.slice.page, view.slice.pages, view.search);
  if (view.slice.page > 1) view.previous_url = delegations_url(view.search, view.slice.page - 1);
  if (view.slice.page < view.slice.pages)
    view.next_url = delegations_url(view.search, view.slice.page + 1);
  return view;
}

}  // namespace varco::gateway
