// "I tuoi enti" (/area/delegations): the institutions that delegated the selected technology
// partner, one row per delegated product, searchable by name or fiscal code and paged.
//
// One row per (institution, product) rather than one per institution: every delegation has its
// own start date, and a partner looks for "who gave us pagoPA" as often as for "who is Valdoria";
// a grouped row would have to drop the dates or crowd them into one cell.
//
// Pure functions over const data: no I/O, no clock; thread-safe. Views copy what they show.
#pragma once

#include "conf/config.hpp"
#include "directory/snapshot.hpp"
#include "gateway/pages/area_model.hpp"

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace varco::gateway {

inline constexpr std::size_t delegations_per_page = 10;
// A name or fiscal code is far shorter; a longer search is not typed by a person. Bytes: the form's
// maxlength="100" counts characters, and 100 of them never exceed 400 bytes of UTF-8.
inline constexpr std::size_t max_delegations_search_bytes = 400;
// More pages than any directory holds; longer numbers are not page numbers.
inline constexpr std::size_t max_page_digits = 6;

// Why the page's query is refused: each is a 400.
enum class delegations_errc {
  bad_query = 1,    // malformed query string (bad escape, a parameter twice)
  search_too_long,  // q over max_delegations_search_bytes
  bad_page,         // page not a number from 1 to 999999
};

const boost::system::error_category& delegations_category() noexcept;
boost::system::error_code make_error_code(delegations_errc e) noexcept;
std::string_view reason_code(delegations_errc e) noexcept;  // "bad_query", …

struct delegations_query {
  std::string search;    // trimmed; empty = every row
  std::size_t page = 1;  // as asked: may be past the last page (clamped later)
};

// ?q=…&page=N. Missing parameters take the defaults; unknown ones are ignored (trackers add them).
boost::system::result<delegations_query> parse_delegations_query(std::string_view query_string);

// Which rows one page shows. A page past the last one shows the last page: a list that shrank
// (a search, a revoked delegation) under an old link still lands somewhere useful.
struct page_slice {
  std::size_t page = 1;   // 1-based, clamped
  std::size_t pages = 1;  // at least 1, also for an empty list
  std::size_t first = 0;  // index of the first row shown
  std::size_t count = 0;  // rows shown
};
page_slice slice_page(std::size_t total_rows, std::size_t per_page, std::size_t requested_page);

// One entry of the pagination bar: a page number, or a gap ("…") between distant numbers.
struct page_link {
  std::size_t number = 0;  // 0 for a gap
  bool current = false;
  std::string url;  // empty for a gap
};

// The numbers shown: first, last, and the current page with two neighbours on each side; a gap
// wherever numbers are skipped. Every URL keeps the search.
std::vector<page_link> pagination_links(std::size_t page, std::size_t pages,
                                        std::string_view search);
std::string delegations_url(std::string_view search, std::size_t page);

// "2025-03-14" → "14/03/2025"; anything not an ISO date is returned unchanged.
std::string italian_date(std::string_view iso_date);

// Whether `needle` occurs in `haystack`, ignoring case for ASCII and the accented Latin-1 letters
// Italian names use (À…Þ as à…þ); an empty needle matches everything.
bool contains_ignoring_case(std::string_view haystack, std::string_view needle);

struct delegation_row {
  std::string party_id;
  std::string name;
  std::string fiscal_code;
  std::string product_id;
  std::string product_title;     // the config's title, else the id
  std::string since;             // dd/mm/yyyy (or the directory's text when not a date)
  std::string product_title_en;  // the config's English title; empty: product_title
};

struct delegations_view {
  bool applies = false;      // the selected party is a technology partner (PT)
  std::string partner_name;  // the selected party
  std::string partner_type;  // its type label, for the "does not apply" text
  std::string search;
  std::size_t total = 0;  // rows matching the search, over every page
  page_slice slice;
  std::vector<delegation_row> rows;  // this page's, by institution name then product title
  std::vector<page_link> links;
  std::string previous_url;  // empty on the first page
  std::string next_url;      // empty on the last page
};

// The page for the party the area shows (`area.current`, already checked to be one of the user's).
delegations_view build_delegations_view(const area_view& area, const directory::snapshot& directory,
                                        const conf::config& config, const delegations_query& query);

}  // namespace varco::gateway

namespace boost::system {
template <>
struct is_error_code_enum<varco::gateway::delegations_errc> : std::true_type {};
}  // namespace boost::system
