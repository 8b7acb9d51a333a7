// The Assistenza pages of the Area Riservata:
//   GET  /area/support             the form (e-mail prefilled from the SAML email attribute,
//                                  the party's products to choose from), or only the mailto link
//                                  where requests cannot be stored (memory session store)
//   POST /area/support             csrf, email, subject, message, product → validated, XADD to
//                                  support.stream, and only then 303 to the confirmation
//   GET  /area/support/sent        "Richiesta inviata" for ?ticket=<stream entry id>
// Invalid fields → 422 with the form as typed and each field's problem; Redis unavailable → 503
// with the form as typed (nothing is confirmed that was not stored); no support section → 404.
//
// area_endpoints owns the session lookup, the CSRF check and the dispatch; this class only
// answers. Holds the worker; use on its thread.
#pragma once

#include "gateway/endpoint/exchange.hpp"
#include "gateway/endpoint/runtime.hpp"
#include "gateway/pages/page_renderer.hpp"
#include "gateway/portal/area_services.hpp"
#include "gateway/portal/form_draft.hpp"
#include "session/session.hpp"

#include <map>
#include <string>
#include <string_view>

namespace varco::gateway {

class support_endpoints {
 public:
  explicit support_endpoints(area_services& services) : services_(services) {}

  static bool handles(std::string_view path) {
    return path == "/area/support" || path == "/area/support/sent";
  }

  // `draft`: what the form held when it was posted after the session ended (form_drafts.hpp).
  handler_result show(const http::request_header<>& request, const session::session& user,
                      const runtime& current, handler_result result,
                      const form_draft* draft = nullptr) const;
  awaitable<handler_result> submit(const std::map<std::string, std::string>& form,
                                   const session::session& user, const runtime& current,
                                   handler_result result);

 private:
  support_page_view page_view(const area_view& view, const runtime& current) const;
  handler_result html(handler_result result, http::status status, std::string body) const;
  handler_result error(handler_result result, unsigned status, std::string_view reason) const;

  area_services& services_;
};

}  // namespace varco::gateway
