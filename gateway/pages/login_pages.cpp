#include "gateway/pages/login_pages.hpp"

#include <boost/json.hpp>

#include <array>
#include <utility>

namespace varco::gateway {
namespace {

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

}  // namespace varco::gateway
