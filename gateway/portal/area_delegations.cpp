// GET /area/delegations: "I tuoi enti" of the selected technology partner. The rows, search and
// paging come from delegations_model, the HTML from page_renderer.
//
// For a party that is not a technology partner the page answers 200 with an explanation rather
// than 404: the route exists, the user is signed in and may hold a partner elsewhere, so the page
// keeps the header and its party switcher and says where the list can be seen.
#include "gateway/pages/delegations_model.hpp"
#include "gateway/pages/page_renderer.hpp"
#include "gateway/portal/area_endpoints.hpp"

namespace varco::gateway {
namespace {

std::string_view query_of(std::string_view target) {
  const auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

}  // namespace

handler_result area_endpoints::delegations_page(const http::request_header<>& request,
                                                const session::session& user,
                                                const runtime& current,
                                                handler_result result) const {
  auto query = parse_delegations_query(query_of(request.target()));
  if (!query) {
    const auto why = static_cast<delegations_errc>(query.error().value());
    return error(std::move(result), 400, reason_code(why));
  }
  const area_view area = build_area_view(user, *current.directory, *current.config);
  auto& renderer = page_renderer::for_this_thread(page_context_of(result.notes, current));
  // No party at all: the same "how to get access" page as /area.
  if (!area.has_party) return page(std::move(result), renderer.overview(area));
  const delegations_view view =
      build_delegations_view(area, *current.directory, *current.config, *query);
  // Logged like a refusal so the access log tells a wrong-party visit from a listing.
  if (!view.applies) result.notes.reason = "not_a_partner";
  return page(std::move(result), renderer.delegations(area, view));
}

}  // namespace varco::gateway
