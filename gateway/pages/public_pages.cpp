// The pages anyone may see, in the same frame as the Area Riservata's: the login page, a refused
// login, the logged-out page, the gateway's error page and the legal texts; and the page context
// and language switch every page uses.
#include "gateway/pages/login_pages.hpp"
#include "gateway/pages/page_frame.hpp"
#include "gateway/pages/page_notice.hpp"

namespace varco::gateway {

using namespace page_detail;

page_context make_page_context(language lang, std::string_view target, const conf::config& config) {
  page_context context;
  context.lang = lang;
  context.target = std::string(target);
  const conf::brand& brand = config.portal.brand;
  context.brand_name = lang == language::en && !brand.name_en.empty() ? brand.name_en : brand.name;
  context.brand_url = brand.url;
  context.brand_logo = brand.logo.empty() ? std::string(default_brand_logo) : brand.logo;
  context.support_email = config.support.email;
  page_notice notice = notice_of(target);
  context.notice = std::move(notice.text);
  context.notice_close_url = std::move(notice.close_url);
  return context;
}

std::string language_switch_url(std::string_view target, language lang) {
  const auto question = target.find('?');
  std::string out(target.substr(0, question));
  if (out.empty()) out = "/";
  out += "?lang=";
  out += code_of(lang);
  if (question == std::string_view::npos) return out;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const std::string_view name = pair.substr(0, pair.find('='));
    if (pair.empty() || name == "lang") continue;
    out += '&';
    out += pair;
  }
  return out;
}

std::string page_renderer::login(const login_view& page) {
  mustache::data body;
  auto entry = [](const idp_entry& idp) {
    mustache::data item;
    item.set("href", text(idp.href));
    item.set("name", text(idp.name));
    item.set("logo", text(idp.logo));
    return item;
  };
  auto entries = [&](const std::vector<idp_entry>& list) {
    mustache::data items{mustache::data::type::list};
    for (const auto& idp : list) items.push_back(entry(idp));
    return items;
  };
  body.set("spid", entries(page.spid));
  body.set("has_spid", flag(!page.spid.empty()));
  if (page.cie) body.set("cie", entry(*page.cie));
  body.set("cie_ready", flag(page.cie.has_value()));
  body.set("others", entries(page.others));
  body.set("has_others", flag(!page.others.empty()));
  body.set("expired", flag(page.session_expired));
  return framed(*templates_, context_, nullptr, "login", "Accedi all'Area Riservata", "",
                std::move(body));
}

std::string page_renderer::login_error(const login_error_view& error) {
  const bool english = context_.lang == language::en;
  mustache::data body;
  const auto anomaly = spid_anomaly_text(error.anomaly);
  std::string message;
  if (!anomaly.it.empty()) {
    message = std::string(english ? anomaly.en : anomaly.it);
  } else if (error.status == 503) {
    // The store or the audit log could not be written (Redis down): nothing is wrong with the
    // user's answer or account, so say it is a passing outage, not a refused login.
    message = translated(
        "Il servizio di accesso è temporaneamente non disponibile. Riprova tra qualche minuto.",
        context_.lang);
  } else if (error.reason_code == "rate_limited") {
    message = translated(
        "Troppi tentativi di accesso da questo indirizzo in poco tempo. Riprova tra qualche "
        "minuto.",
        context_.lang);
  } else {
    message = translated(
        "La risposta del gestore di identità non è valida o è scaduta, e non è stata accettata "
        "per proteggere il tuo account. Riprova l'accesso.",
        context_.lang);
  }
  body.set("message", text(message));
  body.set("code", text(error.reason_code + (error.anomaly.empty() ? "" : " " + error.anomaly)));
  body.set("request_id", text(error.request_id));
  return framed(*templates_, context_, nullptr, "login_error", "Accesso non riuscito", "",
                std::move(body));
}

std::string page_renderer::logged_out(bool idp_confirmed) {
  mustache::data body;
  body.set("idp_confirmed", flag(idp_confirmed));
  return framed(*templates_, context_, nullptr, "logged_out", "Sei uscito", "", std::move(body));
}

std::string page_renderer::error(const error_view& error, const area_view* user) {
  const bool english = context_.lang == language::en;
  mustache::data body;
  const std::string& title = english ? error.title_en : error.title_it;
  body.set("title", text(title));
  body.set("detail", text(english ? error.detail_en : error.detail_it));
  body.set("product", text(error.product));
  body.set("environment", text(error.environment));
  body.set("code", text(error.reason_code));
  body.set("request_id", text(error.request_id));
  body.set("status", text(std::to_string(error.status)));
  body.set("signed_in", flag(user != nullptr));
  // The page title is the error's own, already in the page's language.
  auto layout = layout_data(context_, user, "", "");
  layout.set("title", text(title));
  layout.set("content",
             text(render_or_throw(*templates_, "error", std::move(body), context_.lang)));
  return render_or_throw(*templates_, "layout", std::move(layout), context_.lang);
}

std::string page_renderer::legal(const legal_view& page, const area_view* user) {
  mustache::data body;
  body.set("title", text(page.title));
  body.set("text", text(page.body_html));
  body.set("untranslated", flag(!page.translated));
  body.set("signed_in", flag(user != nullptr));
  auto layout = layout_data(context_, user, "", "");
  layout.set("title", text(page.title));
  layout.set("content",
             text(render_or_throw(*templates_, "legal", std::move(body), context_.lang)));
  return render_or_throw(*templates_, "layout", std::move(layout), context_.lang);
}

}  // namespace varco::gateway
