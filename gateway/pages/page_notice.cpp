#include "gateway/pages/page_notice.hpp"

#include "gateway/http/form_body.hpp"

#include <array>
#include <utility>

namespace varco::gateway {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> notices{{
    {"added", "Utente aggiunto. Potrà entrare con SPID o CIE al prossimo accesso."},
    {"suspended", "Utente sospeso: non può più usare il prodotto finché non lo riattivi."},
    {"reactivated", "Utente riattivato: può di nuovo usare il prodotto."},
    {"removed", "Utente rimosso dal prodotto."},
    {"join_requested",
     "Richiesta di adesione inviata: il gestore del prodotto la esaminerà e ti risponderà."},
    {"party_switched", "Ora stai operando per {party}."},
}};

// A form's POST → the page the form is on. Login and logout answers belong to the login page.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> form_pages{{
    {"/area/environment", "/area"},
    {"/area/party", "/area"},
    {"/area/join", "/area"},
    {"/area/users", "/area/users"},
    {"/area/users/member", "/area/users"},
    {"/area/support", "/area/support"},
}};

}  // namespace

std::string_view notice_for(std::string_view done) {
  for (const auto& [code, text] : notices)
    if (code == done) return text;
  return {};
}

page_notice notice_of(std::string_view target) {
  page_notice out;
  const auto question = target.find('?');
  if (question == std::string_view::npos ||
      target.find("done=", question) == std::string_view::npos)
    return out;
  auto params = parse_query(target.substr(question + 1));
  if (!params) return out;
  const auto done = params->find("done");
  if (done == params->end()) return out;
  out.text = std::string(notice_for(done->second));
  if (!out.text.empty()) out.close_url = without_parameter(target, "done");
  return out;
}

std::string without_parameter(std::string_view target, std::string_view name) {
  const auto question = target.find('?');
  std::string out(target.substr(0, question));
  if (question == std::string_view::npos) return out;
  std::string_view query = target.substr(question + 1);
  char separator = '?';
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty() || pair.substr(0, pair.find('=')) == name) continue;
    out += separator;
    out += pair;
    separator = '&';
  }
  return out;
}

std::string page_of_request(bool get_or_head, std::string_view target) {
  if (get_or_head) return std::string(target);
  const std::string_view path = target.substr(0, target.find('?'));
  for (const auto& [form, page] : form_pages)
    if (form == path) return std::string(page);
  if (path.starts_with("/area")) return "/area";
  return "/login";
}

}  // namespace varco::gateway
