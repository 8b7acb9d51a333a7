// The public legal pages, no session needed (the login page and every footer link to them):
//   GET /terms     "Termini e condizioni d'uso"  (portal.terms_file; ?lang=en: terms_file_en)
//   GET /privacy   "Informativa Privacy"         (portal.privacy_file; ?lang=en: privacy_file_en)
// The text comes from the config snapshot (read at load), so a reload changes it atomically. A
// page whose file is not configured answers 404 `legal_text_not_configured`.
//
// Reached through login_endpoints, like /login. Holds only the worker; used on its thread.
#pragma once

#include "gateway/exchange.hpp"
#include "gateway/runtime.hpp"

#include <string_view>

namespace varco::gateway {

class worker;

class legal_endpoints {
 public:
  explicit legal_endpoints(worker& owner) : owner_(owner) {}

  static bool handles(std::string_view path) { return path == "/terms" || path == "/privacy"; }

  // In the Area Riservata's frame for a signed-in user (its menu, "Torna alla Panoramica"), in
  // the public one otherwise; English with ?lang=en (or the varco_lang cookie) when the English
  // file is configured, else the Italian text with a note.
  awaitable<handler_result> handle(const http::request_header<>& request, const runtime& current,
                                   handler_result result) const;

 private:
  handler_result error(handler_result result, unsigned status, std::string_view reason) const;

  worker& owner_;
};

}  // namespace varco::gateway
