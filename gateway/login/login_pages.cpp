#include "gateway/login/login_pages.hpp"

#include "gateway/login/html.hpp"
#include "gateway/url_encoding.hpp"

#include <boost/json.hpp>

#include <array>
#include <utility>

namespace varco::gateway {
namespace {

std::string page(std::string_view title, const std::string& body) {
  std::string out;
  out.reserve(body.size() + 1024);
  out +=
      "<!doctype html>\n<html lang=\"it\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  out += html_escape(title);
  out +=
      "</title>\n<link rel=\"stylesheet\" href=\"/static/varco/login.css\">\n</head>\n<body>\n"
      "<main id=\"main\" class=\"varco-login\">\n";
  out += body;
  out += "</main>\n</body>\n</html>\n";
  return out;
}

// Logged-out users have no Assistenza form (it needs a session): they get the address. Empty
// when the config has no support section.
std::string support_link(std::string_view email) {
  if (email.empty()) return {};
  const std::string escaped = html_escape(email);
  return "<p class=\"support\" id=\"support\">Serve aiuto? <a href=\"mailto:" + escaped +
         "\">Assistenza</a> <span lang=\"en\">(help)</span>: " + escaped + "</p>\n";
}

std::string login_link(std::string_view entity_id, std::string_view return_path) {
  std::string href = "/saml/login?idp=" + percent_encode(entity_id);
  if (!return_path.empty()) href += "&return=" + percent_encode(return_path);
  return html_escape(href);
}

void idp_list(std::string& out, const std::vector<idp_choice>& idps, std::string_view list_id,
              std::string_view return_path) {
  out += "<ul class=\"idp-list\" id=\"";
  out += list_id;
  out += "\">\n";
  for (const auto& idp : idps) {
    out += "<li><a class=\"idp\" href=\"" + login_link(idp.entity_id, return_path) + "\">";
    if (!idp.logo.empty()) {
      out += "<img src=\"" + html_escape(idp.logo) + "\" alt=\"\" width=\"120\" height=\"30\"> ";
    }
    out += "<span>" + html_escape(idp.name) + "</span></a></li>\n";
  }
  out += "</ul>\n";
}

// SPID technical rules, "anomalie" table: what the user is told for each IdP error code.
constexpr std::array<std::pair<std::string_view, anomaly_text>, 7> anomalies{{
    {"nr19",
     {"Autenticazione non riuscita per ripetuto inserimento di credenziali errate: verifica le "
      "credenziali con il tuo gestore di identità SPID.",
      "Login failed after repeated wrong credentials: check them with your SPID identity "
      "provider."}},
    {"nr20",
     {"La tua identità SPID non ha credenziali del livello di sicurezza richiesto: attivale presso "
      "il tuo gestore di identità.",
      "Your SPID identity has no credentials of the required security level: activate them with "
      "your identity provider."}},
    {"nr21",
     {"Tempo scaduto durante l'autenticazione: riprova.",
      "The login timed out: please try again."}},
    {"nr22",
     {"Non hai dato il consenso all'invio dei dati: senza consenso non è possibile accedere.",
      "You did not consent to sharing your data: without it you cannot log in."}},
    {"nr23",
     {"La tua identità SPID risulta sospesa o revocata: contatta il tuo gestore di identità.",
      "Your SPID identity is suspended or revoked: contact your identity provider."}},
    {"nr25", {"Hai annullato l'accesso.", "You cancelled the login."}},
    {"nr30",
     {"Il tipo di identità SPID usato non è accettato da questo servizio (serve un'identità "
      "per persona fisica).",
      "This service does not accept the kind of SPID identity you used (a personal identity "
      "is required)."}},
}};

}  // namespace

anomaly_text spid_anomaly_text(std::string_view code) {
  for (const auto& [nr, text] : anomalies) {
    if (nr == code) return text;
  }
  return {};
}

std::string render_login_page(const login_page& p) {
  std::string body;
  body += "<h1>Accedi all'Area Riservata <span lang=\"en\">/ Log in</span></h1>\n";
  if (!p.notice_it.empty()) {
    body += "<p class=\"notice\" role=\"status\">" + html_escape(p.notice_it) +
            " <span lang=\"en\">" + html_escape(p.notice_en) + "</span></p>\n";
  }
  body += "<section aria-labelledby=\"spid-title\">\n<h2 id=\"spid-title\">Entra con SPID</h2>\n";
  if (p.spid.empty()) {
    body += "<p>Nessun gestore di identità SPID configurato.</p>\n";
  } else {
    idp_list(body, p.spid, "spid-idps", p.return_path);
  }
  body +=
      "</section>\n<section aria-labelledby=\"cie-title\">\n<h2 id=\"cie-title\">Entra con "
      "CIE</h2>\n";
  if (!p.cie_configured || p.cie.empty()) {
    body +=
        "<button type=\"button\" id=\"cie-button\" disabled aria-disabled=\"true\">Entra con "
        "CIE — presto disponibile <span lang=\"en\">(coming soon)</span></button>\n";
  } else {
    idp_list(body, p.cie, "cie-idps", p.return_path);
  }
  body +=
      "</section>\n<p class=\"links\"><a href=\"/terms\">Termini e condizioni d'uso</a> · "
      "<a href=\"/privacy\">Informativa Privacy</a></p>\n";
  body += support_link(p.support_email);
  return page("Accedi", body);
}

std::string render_login_error_page(const login_error& e) {
  const auto anomaly = spid_anomaly_text(e.anomaly);
  std::string body;
  body += "<h1>Accesso non riuscito <span lang=\"en\">/ Login failed</span></h1>\n";
  if (!anomaly.it.empty()) {
    body += "<p>" + html_escape(anomaly.it) + "</p>\n<p lang=\"en\">" + html_escape(anomaly.en) +
            "</p>\n";
  } else if (e.status == 503) {
    // The store or the audit log could not be written (Redis down): nothing is wrong with the
    // user's answer or account, so say it is a passing outage, not a refused login.
    body +=
        "<p>Il servizio di accesso è temporaneamente non disponibile. Riprova tra qualche "
        "minuto.</p>\n<p lang=\"en\">The login service is temporarily unavailable. Please try "
        "again in a few minutes.</p>\n";
  } else if (e.reason_code == "rate_limited") {
    body +=
        "<p>Troppi tentativi di accesso da questo indirizzo in poco tempo. Riprova tra qualche "
        "minuto.</p>\n<p lang=\"en\">Too many login attempts from this address in a short time. "
        "Please try again in a few minutes.</p>\n";
  } else {
    body +=
        "<p>La risposta del gestore di identità non è valida o è scaduta, e non è stata "
        "accettata per proteggere il tuo account. Riprova l'accesso.</p>\n"
        "<p lang=\"en\">The identity provider's answer was invalid or expired and was "
        "refused to protect your account. Please log in again.</p>\n";
  }
  body += "<p class=\"details\">Codice <span lang=\"en\">(code)</span>: <code>" +
          html_escape(e.reason_code) + (e.anomaly.empty() ? "" : " " + html_escape(e.anomaly)) +
          "</code>";
  if (!e.request_id.empty()) body += " · Richiesta: <code>" + html_escape(e.request_id) + "</code>";
  body +=
      "</p>\n<p><a class=\"button\" href=\"/login\">Torna all'accesso <span lang=\"en\">/ Back "
      "to login</span></a></p>\n";
  body += support_link(e.support_email);
  return page("Accesso non riuscito", body);
}

std::string render_login_error_json(const login_error& e) {
  boost::json::object o;
  o["status"] = e.status;
  o["error"] = e.reason_code;
  if (!e.anomaly.empty()) o["anomaly"] = e.anomaly;
  const auto anomaly = spid_anomaly_text(e.anomaly);
  const bool limited = e.reason_code == "rate_limited";
  const bool unavailable = e.status == 503;  // store or audit log down: a passing outage
  o["message"] = !anomaly.en.empty() ? anomaly.en
                 : limited           ? "Too many attempts from this address: try again later."
                 : unavailable ? "The login service is temporarily unavailable: try again later."
                               : "The identity provider's answer was refused.";
  o["messaggio"] =
      !anomaly.it.empty() ? anomaly.it
      : limited           ? "Troppi tentativi da questo indirizzo: riprova più tardi."
      : unavailable ? "Il servizio di accesso è temporaneamente non disponibile: riprova più tardi."
                    : "La risposta del gestore di identità è stata rifiutata.";
  o["request_id"] = e.request_id;
  return boost::json::serialize(o);
}

std::string render_logged_out_page(bool idp_confirmed, std::string_view support_email) {
  std::string body;
  body += "<h1 id=\"logged-out\">Sei uscito <span lang=\"en\">/ You are logged out</span></h1>\n";
  body += idp_confirmed ? "<p>Anche il gestore di identità ha chiuso la sessione.</p>\n"
                        : "<p>La sessione è stata chiusa.</p>\n";
  body +=
      "<p><a class=\"button\" href=\"/login\">Accedi di nuovo <span lang=\"en\">/ Log in "
      "again</span></a></p>\n";
  body += support_link(support_email);
  return page("Sei uscito", body);
}

}  // namespace varco::gateway
