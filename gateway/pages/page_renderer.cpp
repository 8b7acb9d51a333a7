#include "gateway/pages/page_renderer.hpp"

#include "base/html.hpp"
#include "gateway/pages/page_frame.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace varco::gateway {

using namespace page_detail;

namespace page_detail {

mustache::data flag(bool value) {
  return mustache::data{value ? mustache::data::type::bool_true : mustache::data::type::bool_false};
}

// Mustache sections treat "" as false (mustache.js, the spec's own examples); kainjow treats any
// string as true, so {{#logo}} would render <img src=""> for a party without one. An empty value
// becomes false instead: sections skip it and {{value}} still renders nothing.
mustache::data text(const std::string& value) {
  return value.empty() ? flag(false) : mustache::data{value};
}

// The initials of a name for a logo placeholder: the first letters of its first and last words
// that start with a capital or a digit ("Comune di Valdoria" → "CV", "App IO" → "AI"), else of
// its first and last words ("Piattaforma pagoPA" → "PP").
std::string initials_of(std::string_view name) {
  std::vector<std::string_view> words, capitalised;
  std::size_t at = 0;
  while (at < name.size()) {
    while (at < name.size() && name[at] == ' ') ++at;
    const std::size_t start = at;
    while (at < name.size() && name[at] != ' ') ++at;
    if (at == start) break;
    const std::string_view word = name.substr(start, at - start);
    words.push_back(word);
    const auto c = static_cast<unsigned char>(word.front());
    if (std::isupper(c) != 0 || std::isdigit(c) != 0) capitalised.push_back(word);
  }
  const auto& chosen = capitalised.size() >= 2 ? capitalised : words;
  // A word's first letter, upper-cased when ASCII, whole when it is a multi-byte UTF-8 one.
  auto first_letter = [](std::string_view word) {
    const auto lead = static_cast<unsigned char>(word.front());
    if (lead < 0x80) return std::string(1, static_cast<char>(std::toupper(lead)));
    std::size_t length = 1;
    while (length < word.size() && (static_cast<unsigned char>(word[length]) & 0xC0) == 0x80)
      ++length;
    return std::string(word.substr(0, length));
  };
  std::string out;
  if (chosen.empty()) return out;
  out += first_letter(chosen.front());
  if (chosen.size() > 1) out += first_letter(chosen.back());
  return out;
}

// One of the placeholder tones (varco.css .varco-tone-0 … -5), fixed for a given id.
std::string tone_of(std::string_view id) {
  return std::to_string(std::hash<std::string_view>{}(id) % 6);
}

// What {{>avatar}} shows: the logo, else the initials on a tone; `bg_key` names the configured
// background colour (theme.css) of a product logo.
void set_avatar(mustache::data& item, std::string_view id, std::string_view name,
                const std::string& logo, bool has_bg) {
  item.set("logo", text(logo));
  item.set("initials", text(initials_of(name)));
  item.set("tone", text(tone_of(id)));
  item.set("bg_key", has_bg ? text(std::string(id)) : flag(false));
}

// A configured text in the page's language: the English one on English pages when there is one.
const std::string& in_language(const std::string& italian, const std::string& english,
                               language lang) {
  return lang == language::en && !english.empty() ? english : italian;
}

// The radio options of the environment choice ({{>environment_options}}); `dialog_key` keeps
// the element ids of one product's options apart from another's on the same page. Ids are built
// from positions, never from configured ids, which may hold any character.
mustache::data environment_list(const std::vector<environment_option>& options,
                                const std::string& dialog_key, language lang) {
  mustache::data list{mustache::data::type::list};
  for (std::size_t i = 0; i < options.size(); ++i) {
    const auto& option = options[i];
    mustache::data item;
    item.set("id", text(option.id));
    item.set("label", text(in_language(option.label, option.label_en, lang)));
    item.set("index", text(std::to_string(i + 1)));
    item.set("dialog_key", text(dialog_key));
    item.set("redirect", flag(option.redirect));
    item.set("chosen", flag(option.chosen));
    list.push_back(item);
  }
  return list;
}

mustache::data card_list(const std::vector<product_card>& cards, language lang) {
  mustache::data list{mustache::data::type::list};
  std::size_t position = 0;
  for (const auto& card : cards) {
    const std::string dialog_key = "p" + std::to_string(++position);
    mustache::data item;
    const std::string& title = in_language(card.title, card.title_en, lang);
    item.set("id", text(card.id));
    item.set("title", text(title));
    item.set("description", text(in_language(card.description, card.description_en, lang)));
    set_avatar(item, card.id, title, card.logo, !card.logo_bg_color.empty());
    item.set("manage_url", text(card.manage_url));
    item.set("join_requested", flag(card.join_requested));
    item.set("can_join", flag(card.can_join));
    item.set("join_url", text(join_url(card.id)));
    // Gestisci opens the environment dialog of the layout; the page is the no-script way.
    item.set("dialog", flag(!card.environments.empty()));
    item.set("dialog_key", text(dialog_key));
    item.set("environments", environment_list(card.environments, dialog_key, lang));
    item.set("join_admin_only", flag(card.join_admin_only));
    item.set("join_through_support", flag(card.join_through_support));
    list.push_back(item);
  }
  return list;
}

mustache::data translated_text(std::string_view italian, language lang) {
  return text(translated(italian, lang));
}

// The toast after a completed action, in the page's language, escaped, with {party} (the party
// now acted for) in bold.
std::string notice_html(const page_context& context, const area_view* user) {
  if (context.notice.empty()) return {};
  std::string html = base::escape_html(translated(context.notice, context.lang));
  if (const auto at = html.find("{party}"); at != std::string::npos) {
    const std::string party = user != nullptr ? user->current.name : std::string();
    html.replace(at, 7, "<strong>" + base::escape_html(party) + "</strong>");
  }
  return html;
}

// The frame of every page: brand, language switch, footer; with a user, also the user menu, the
// party switcher and the navigation (`active_nav` marks the current entry).
mustache::data layout_data(const page_context& context, const area_view* user,
                           std::string_view title, std::string_view active_nav) {
  const language lang = context.lang;
  mustache::data data;
  data.set("title", translated_text(title, lang));
  const bool english = lang == language::en;
  data.set("lang", text(std::string(code_of(lang))));
  data.set("other_language", text(english ? "it" : "en"));
  data.set("other_language_code", text(english ? "IT" : "EN"));
  data.set("other_language_label", text(english ? "Italiano" : "English"));
  data.set("other_language_url",
           text(language_switch_url(context.target.empty() ? "/area" : context.target,
                                    english ? language::it : language::en)));
  data.set("brand_name", text(context.brand_name));
  data.set("brand_url", text(context.brand_url));
  data.set("brand_logo", text(context.brand_logo));
  data.set("home_url", text(user != nullptr ? "/area" : "/login"));
  data.set("support_url", text(user != nullptr || context.support_email.empty()
                                   ? std::string("/area/support")
                                   : "mailto:" + context.support_email));
  data.set("signed_in", flag(user != nullptr));
  data.set("notice", text(notice_html(context, user)));
  data.set("notice_close_url", text(context.notice_close_url));
  if (user == nullptr) {
    data.set("has_party", flag(false));
    data.set("has_nav", flag(false));
    return data;
  }
  const area_view& view = *user;
  data.set("user_name", text(view.user_name));
  data.set("fiscal_number", text(view.fiscal_number));
  data.set("provider", text(view.provider));
  data.set("provider_label", text(view.provider_label));
  data.set("csrf", text(view.csrf_token));
  data.set("has_party", flag(view.has_party));
  data.set("current_name", text(view.current.name));
  data.set("current_role", translated_text(view.current.role_label, lang));
  mustache::data current;
  set_avatar(current, view.current.id, view.current.name, view.current.logo, false);
  data.set("current", current);
  mustache::data parties{mustache::data::type::list};
  for (const auto& party : view.parties) {
    mustache::data item;
    item.set("id", text(party.id));
    item.set("name", text(party.name));
    set_avatar(item, party.id, party.name, party.logo, false);
    item.set("role_label", translated_text(party.role_label, lang));
    item.set("selected", flag(party.selected));
    item.set("csrf", text(view.csrf_token));
    parties.push_back(item);
  }
  data.set("parties", parties);
  data.set("is_admin", flag(view.is_admin));
  data.set("has_products", flag(!view.active.empty()));
  data.set("is_partner", flag(view.current_is_partner));
  data.set("has_nav", flag(true));
  data.set("products", card_list(view.active, lang));
  for (const char* entry : {"overview", "users", "delegations", "support"})
    data.set(std::string("nav_") + entry, flag(active_nav == entry));
  return data;
}

// "14 deleghe", "1 delega per «valdoria»": what the table holds, over every page.
std::string delegations_summary(const delegations_view& view, language lang) {
  if (lang == language::en) {
    std::string out =
        std::to_string(view.total) + (view.total == 1 ? " delegation" : " delegations");
    if (!view.search.empty()) out += " for “" + view.search + "”";
    return out;
  }
  std::string out = std::to_string(view.total) + (view.total == 1 ? " delega" : " deleghe");
  if (!view.search.empty()) out += " per «" + view.search + "»";
  return out;
}

std::string render_or_throw(parsed_templates& templates, std::string_view name, mustache::data data,
                            language lang) {
  // {{#tr}}Italian text{{/tr}}: the text in the page's language, then rendered as a template so
  // the placeholders inside it ({{user_name}}) are filled and escaped as anywhere else.
  data.set("tr", mustache::data{mustache::lambda{
                     [lang](const std::string& italian) { return translated(italian, lang); }}});
  // Partials: {{>avatar}} (a logo, or initials where there is none), the environment choice's
  // options and dialog. The source is the embedded template's static text, which outlives
  // every render.
  for (const std::string_view partial : {"avatar", "environment_options", "environment_dialog",
                                         "confirm_text", "confirm_dialog", "member_data"}) {
    const std::string_view source = templates.source(partial);
    data.set(std::string(partial),
             mustache::data{mustache::partial{[source] { return std::string(source); }}});
  }
  auto& tmpl = templates.get(name);
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid())
    throw std::logic_error("template " + std::string(name) + ": " + tmpl.error_message());
  return out;
}

// `body` through template `name`, then inside the layout.
std::string framed(parsed_templates& templates, const page_context& context, const area_view* user,
                   std::string_view name, std::string_view title, std::string_view active_nav,
                   mustache::data body) {
  auto layout = layout_data(context, user, title, active_nav);
  layout.set("content", text(render_or_throw(templates, name, std::move(body), context.lang)));
  return render_or_throw(templates, "layout", std::move(layout), context.lang);
}

}  // namespace page_detail

page_renderer::page_renderer() : templates_(std::make_unique<parsed>()) {
  for (const auto& source : embedded_page_templates()) {
    mustache::mustache tmpl{std::string(source.text)};
    if (!tmpl.is_valid()) {
      throw std::runtime_error("template " + std::string(source.name) + ": " +
                               tmpl.error_message());
    }
    templates_->by_name.emplace(source.name, std::move(tmpl));
    templates_->sources.emplace(source.name, source.text);
  }
}

page_renderer::~page_renderer() = default;

page_renderer& page_renderer::for_this_thread(page_context context) {
  static thread_local page_renderer renderer;
  renderer.context_ = std::move(context);
  return renderer;
}

page_renderer& page_renderer::for_this_thread(language lang, std::string_view target) {
  page_context context;
  context.lang = lang;
  context.target = std::string(target);
  context.brand_logo = std::string(default_brand_logo);
  return for_this_thread(std::move(context));
}

namespace {

// What the user's access is suspended on: other parties by name, the current party's products by
// title in the page's language.
mustache::data suspended_list(const area_view& view, language lang) {
  mustache::data list{mustache::data::type::list};
  for (const auto& party : view.suspended_parties) {
    mustache::data item;
    item.set("name", text(party.name));
    list.push_back(item);
  }
  for (const auto& card : view.suspended_products) {
    mustache::data item;
    item.set("name", text(in_language(card.title, card.title_en, lang)));
    list.push_back(item);
  }
  return list;
}

}  // namespace

std::string page_renderer::overview(const area_view& view) {
  mustache::data body;
  std::string_view name = "no_party";
  std::string_view title = "Nessun ente associato";
  body.set("suspended", suspended_list(view, context_.lang));
  body.set("has_suspended",
           flag(!view.suspended_parties.empty() || !view.suspended_products.empty()));
  if (!view.has_party && !view.suspended_parties.empty()) {
    name = "suspended";
    title = "Utenza sospesa";
  }
  if (view.has_party) {
    name = "overview";
    title = "Panoramica";
    mustache::data registry{mustache::data::type::list};
    for (const auto& entry : view.registry) {
      mustache::data item;
      item.set("label", translated_text(entry.label, context_.lang));
      // Values are data, shown as written, except a party type's label: varco's own text.
      item.set("value", entry.value_is_label ? translated_text(entry.value, context_.lang)
                                             : text(entry.value));
      registry.push_back(item);
    }
    body.set("registry", registry);
    body.set("active", card_list(view.active, context_.lang));
    body.set("available", card_list(view.available, context_.lang));
    body.set("csrf", text(view.csrf_token));
    body.set("party_name", text(view.current.name));
    // One Aderisci dialog, filled from the card that opens it.
    const bool can_join = std::any_of(view.available.begin(), view.available.end(),
                                      [](const auto& card) { return card.can_join; });
    mustache::data dialogs{mustache::data::type::list};
    if (can_join) dialogs.push_back(confirm_data(confirmed_action::join, context_.lang));
    body.set("dialogs", dialogs);
  } else {
    body.set("user_name", text(view.user_name));
    body.set("fiscal_number", text(view.fiscal_number));
  }
  return framed(*templates_, context_, &view, name, title, "overview", std::move(body));
}

std::string page_renderer::environment_choice(const area_view& view,
                                              const environment_view& environments) {
  mustache::data body;
  body.set("csrf", text(view.csrf_token));
  body.set("product_id", text(environments.product_id));
  const std::string& title =
      in_language(environments.product_title, environments.product_title_en, context_.lang);
  body.set("product_title", text(title));
  mustache::data product;
  set_avatar(product, environments.product_id, title, environments.product_logo,
             environments.product_logo_bg);
  body.set("product", product);
  body.set("return_path", text(environments.return_path));
  body.set("has_options", flag(!environments.options.empty()));
  body.set("environments", environment_list(environments.options, "page", context_.lang));
  return framed(*templates_, context_, &view, "environment", "Scegli l'ambiente", "",
                std::move(body));
}

std::string page_renderer::delegations(const area_view& view, const delegations_view& delegations) {
  mustache::data body;
  body.set("applies", flag(delegations.applies));
  body.set("partner_name", text(delegations.partner_name));
  body.set("partner_type", translated_text(delegations.partner_type, context_.lang));
  body.set("search", text(delegations.search));
  body.set("has_search", flag(!delegations.search.empty()));
  body.set("has_partner_type", flag(!delegations.partner_type.empty()));
  body.set("summary", text(delegations_summary(delegations, context_.lang)));
  body.set("has_rows", flag(!delegations.rows.empty()));
  mustache::data rows{mustache::data::type::list};
  for (const auto& row : delegations.rows) {
    mustache::data item;
    item.set("party_id", text(row.party_id));
    item.set("name", text(row.name));
    item.set("fiscal_code", text(row.fiscal_code));
    item.set("product_id", text(row.product_id));
    item.set("product_title",
             text(in_language(row.product_title, row.product_title_en, context_.lang)));
    item.set("since", text(row.since));
    rows.push_back(item);
  }
  body.set("rows", rows);
  body.set("multi_page", flag(delegations.slice.pages > 1));
  body.set("page", text(std::to_string(delegations.slice.page)));
  body.set("pages", text(std::to_string(delegations.slice.pages)));
  mustache::data links{mustache::data::type::list};
  for (const auto& link : delegations.links) {
    mustache::data item;
    item.set("gap", flag(link.number == 0));
    item.set("number", text(std::to_string(link.number)));
    item.set("current", flag(link.current));
    item.set("url", text(link.url));
    links.push_back(item);
  }
  body.set("links", links);
  // kainjow treats "" as true: the ends are flags of their own.
  body.set("has_previous", flag(!delegations.previous_url.empty()));
  body.set("previous_url", text(delegations.previous_url));
  body.set("has_next", flag(!delegations.next_url.empty()));
  body.set("next_url", text(delegations.next_url));
  return framed(*templates_, context_, &view, "delegations", "I tuoi enti", "delegations",
                std::move(body));
}

std::string page_renderer::support(const area_view& view, const support_page_view& page) {
  mustache::data body;
  body.set("form", flag(page.form));
  body.set("support_email", text(page.support_email));
  body.set("csrf", text(view.csrf_token));
  body.set("email", text(page.values.email));
  body.set("subject", text(page.values.subject));
  body.set("message", text(page.values.message));
  body.set("no_product", flag(page.values.product.empty()));
  body.set("max_subject", text(std::to_string(page.max_subject_chars)));
  body.set("max_message", text(std::to_string(page.max_message_chars)));
  mustache::data products{mustache::data::type::list};
  for (const auto& card : page.products) {
    mustache::data item;
    item.set("id", text(card.id));
    item.set("title", text(in_language(card.title, card.title_en, context_.lang)));
    item.set("selected", flag(card.id == page.values.product));
    products.push_back(item);
  }
  body.set("products", products);
  // A section over a string is true even when it is empty: set only the fields that failed.
  mustache::data error_list{mustache::data::type::list};
  const std::pair<const char*, const std::string*> fields[] = {{"email", &page.errors.email},
                                                               {"product", &page.errors.product},
                                                               {"subject", &page.errors.subject},
                                                               {"message", &page.errors.message}};
  for (const auto& [name, message] : fields) {
    if (message->empty()) continue;
    body.set(std::string(name) + "_error", text(translated(*message, context_.lang)));
    mustache::data item;
    item.set("field_id", text(std::string("support-") + name));
    item.set("text", text(translated(*message, context_.lang)));
    error_list.push_back(item);
  }
  body.set("has_errors", flag(page.errors.any()));
  body.set("store_failed", flag(page.store_failed));
  body.set("draft_restored", flag(page.draft_restored));
  body.set("error_list", error_list);
  return framed(*templates_, context_, &view, "support",
                page.errors.any() || page.store_failed ? "Errore: Assistenza" : "Assistenza",
                "support", std::move(body));
}

std::string page_renderer::support_sent(const area_view& view, std::string_view ticket) {
  mustache::data body;
  body.set("ticket", text(std::string(ticket)));
  return framed(*templates_, context_, &view, "support_sent", "Richiesta inviata", "support",
                std::move(body));
}

}  // namespace varco::gateway
