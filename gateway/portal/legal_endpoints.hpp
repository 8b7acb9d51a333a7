// The public legal pages, no session needed (the login page and every footer link to them):
//   GET /terms     "Termini e condizioni d'uso"  (portal.terms_file; ?lang=en: terms_file_en)
//   GET /privacy   "Informativa Privacy"         (portal.privacy_file; ?lang=en: privacy_file_en)
// The text comes from the config snapshot (read at load), so a reload changes it atomically. A
// page whose file is not configured answers 404 `legal_text_not_configured`.
//
// Reached through the reserved-route table (gateway/routing/reserved_routes.hpp), which checked
// the method. Holds only the session service; used on the worker's thread.
#pragma once

#include "gateway/endpoint/exchange.hpp"
#include "gateway/endpoint/runtime.hpp"
#include "gateway/routing/reserved_routes.hpp"
#include "session/session_service.hpp"

#include <string_view>

namespace varco::gateway {

class legal_endpoints {
 public:
  explicit legal_endpoints(session::session_service& sessions) : sessions_(sessions) {}

  // In the Area Riservata's frame for a signed-in user (its menu, "Torna alla Panoramica"), in
  // the public one otherwise; English with ?lang=en (or the varco_lang cookie) when the English
  // file is configured, else the Italian text with a note.
  awaitable<handler_result> handle(reserved_endpoint endpoint,
                                   const http::request_header<>& request, const runtime& current,
                                   handler_result result) const;

 private:
  session::session_service& sessions_;
};

}  // namespace varco::gateway
