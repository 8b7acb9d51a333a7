#include "gateway/http/error_page.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace varco::gateway {

namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool iends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

// q of one media range ("text/html;level=1;q=0.8" → 0.8); malformed q counts as 0.
double quality(std::string_view params) noexcept {
  while (!params.empty()) {
    const auto semi = params.find(';');
    const auto p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      double q = 0;
      const auto v = p.substr(2);
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), q);
      if (ec != std::errc{} || end != v.data() + v.size() || q < 0 || q > 1) return 0;
      return q;
    }
  }
  return 1;
}

}  // namespace

std::string render_json(const error_info& info) {
  const auto text_or_null = [](const std::string& s) -> boost::json::value {
    if (s.empty()) return nullptr;
    return boost::json::string(s);
  };
  boost::json::object o;
  o["status"] = info.status;
  o["error"] = info.reason_code;
  o["message"] = info.detail_en;
  o["messaggio"] = info.detail_it;
  o["product"] = text_or_null(info.product);
  o["environment"] = text_or_null(info.environment);
  o["request_id"] = text_or_null(info.request_id);
  return boost::json::serialize(o);
}

bool wants_json(std::string_view accept) noexcept {
  double html_q = 0;
  double json_q = 0;
  while (!accept.empty()) {
    const auto comma = accept.find(',');
    const auto range = trim(accept.substr(0, comma));
    accept = comma == std::string_view::npos ? std::string_view{} : accept.substr(comma + 1);
    const auto semi = range.find(';');
    const auto type = trim(range.substr(0, semi));
    const double q = semi == std::string_view::npos ? 1.0 : quality(range.substr(semi + 1));
    if (iequals(type, "text/html") || iequals(type, "application/xhtml+xml")) {
      html_q = std::max(html_q, q);
    } else if (iequals(type, "application/json") || iends_with(type, "+json")) {
      json_q = std::max(json_q, q);
    }
  }
  if (html_q > 0) return json_q > html_q;
  return true;
}

error_info bad_request_error(std::string_view reason_code) {
  return {400,
          std::string(reason_code),
          "Richiesta non valida",
          "Bad request",
          "La richiesta non è valida e non può essere elaborata.",
          "The request is malformed and cannot be processed."};
}

error_info login_required_error() {
  return {401,
          "login_required",
          "Accesso richiesto",
          "Login required",
          "Per continuare accedi con SPID o CIE.",
          "Please log in with SPID or CIE to continue."};
}

error_info forbidden_error(std::string_view reason_code, std::string_view reason_it,
                           std::string_view reason_en) {
  return {403,
          std::string(reason_code),
          "Accesso non consentito",
          "Access denied",
          "Non hai i permessi per accedere a questa risorsa. " + std::string(reason_it),
          "You are not allowed to access this resource. " + std::string(reason_en)};
}

error_info no_route_error() {
  return {404,
          "no_route",
          "Pagina non trovata",
          "Page not found",
          "L'indirizzo richiesto non corrisponde a nessuna pagina dell'Area Riservata né a un "
          "prodotto.",
          "The requested address is neither a page of the Reserved Area nor a product."};
}

error_info environment_not_chosen_error(std::string_view product) {
  error_info e{
      409,
      "environment_not_chosen",
      "Scegli l'ambiente",
      "Choose an environment",
      "Prima di continuare scegli l'ambiente (per esempio Collaudo o Produzione) di questo "
      "prodotto nell'Area Riservata.",
      "Before continuing, choose the environment (for example Collaudo or Produzione) of "
      "this product in the reserved area."};
  e.product = std::string(product);
  return e;
}

error_info payload_too_large_error() {
  return {413,
          "payload_too_large",
          "Contenuto troppo grande",
          "Payload too large",
          "Il corpo della richiesta supera la dimensione massima consentita.",
          "The request body exceeds the maximum allowed size."};
}

error_info header_too_large_error() {
  return {431,
          "header_too_large",
          "Intestazioni troppo grandi",
          "Request header fields too large",
          "Le intestazioni della richiesta (per esempio i cookie) superano la dimensione massima "
          "consentita.",
          "The request header fields (cookies, for example) exceed the maximum allowed size."};
}

error_info upstream_unavailable_error(std::string_view product, std::string_view environment) {
  error_info e{502,
               "upstream_unavailable",
               "Servizio non raggiungibile",
               "Service unavailable",
               "Il servizio del prodotto non risponde. Riprova tra qualche minuto.",
               "The product's service is not answering. Please try again in a few minutes."};
  e.product = std::string(product);
  e.environment = std::string(environment);
  return e;
}

error_info store_unavailable_error() {
  return {503,
          "store_unavailable",
          "Servizio temporaneamente non disponibile",
          "Service temporarily unavailable",
          "Non è possibile completare l'operazione in questo momento. Riprova tra qualche minuto.",
          "The operation cannot be completed right now. Please try again in a few minutes."};
}

error_info upstream_timeout_error(std::string_view product, std::string_view environment) {
  error_info e{504,
               "upstream_timeout",
               "Il servizio non ha risposto in tempo",
               "The service did not answer in time",
               "Il servizio del prodotto ha impiegato troppo tempo a rispondere. Riprova.",
               "The product's service took too long to answer. Please try again."};
  e.product = std::string(product);
  e.environment = std::string(environment);
  return e;
}

}  // namespace varco::gateway
