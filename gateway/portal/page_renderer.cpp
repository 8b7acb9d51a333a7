#include "gateway/portal/page_renderer.hpp"

#include <kainjow/mustache.hpp>
#include <stdexcept>
#include <unordered_map>

namespace varco::gateway {

namespace mustache = kainjow::mustache;

struct page_renderer::parsed {
  std::unordered_map<std::string_view, mustache::mustache> by_name;

  mustache::mustache& get(std::string_view name) {
    auto it = by_name.find(name);
    // Names are compile-time constants of this file; a missing one is a build defect.
    if (it == by_name.end()) throw std::logic_error("no template " + std::string(name));
    return it->second;
  }
};

namespace {

mustache::data flag(bool value) {
  return mustache::data{value ? mustache::data::type::bool_true : mustache::data::type::bool_false};
}

// Mustache sections treat "" as false (mustache.js, the spec's own examples); kainjow treats any
// string as true, so {{#logo}} would render <img src=""> for a party without one. An empty value
// becomes false instead: sections skip it and {{value}} still renders nothing.
mustache::data text(const std::string& value) {
  return value.empty() ? flag(false) : mustache::data{value};
}

mustache::data card_list(const std::vector<product_card>& cards) {
  mustache::data list{mustache::data::type::list};
  for (const auto& card : cards) {
    mustache::data item;
    item.set("id", text(card.id));
    item.set("title", text(card.title));
    item.set("description", text(card.description));
    item.set("logo", text(card.logo));
    item.set("manage_url", text(card.manage_url));
    item.set("join_requested", flag(card.join_requested));
    item.set("can_join", flag(card.can_join));
    list.push_back(item);
  }
  return list;
}

// What every page shows: who is signed in, the party and role, the switcher, the products menu.
// The page's language: <html lang>, the switch to the other language, and the {{#tr}} lambda.
struct page_language {
  language lang = language::it;
  std::string path;  // the page's path, where the language switch leads (with ?lang=)
};

mustache::data translated_text(std::string_view italian, const page_language& in) {
  return text(translated(italian, in.lang));
}

mustache::data layout_data(const area_view& view, std::string_view title, const page_language& in) {
  mustache::data data;
  data.set("title", translated_text(title, in));
  const bool english = in.lang == language::en;
  data.set("lang", text(std::string(code_of(in.lang))));
  data.set("other_language", text(english ? "it" : "en"));
  data.set("other_language_label", text(english ? "Italiano" : "English"));
  data.set("other_language_url", text((in.path.empty() ? std::string("/area") : in.path) +
                                      (english ? "?lang=it" : "?lang=en")));
  data.set("user_name", text(view.user_name));
  data.set("fiscal_number", text(view.fiscal_number));
  data.set("provider", text(view.provider));
  data.set("provider_label", text(view.provider_label));
  data.set("csrf", text(view.csrf_token));
  data.set("has_party", flag(view.has_party));
  data.set("current_name", text(view.current.name));
  data.set("current_logo", text(view.current.logo));
  data.set("current_role", translated_text(view.current.role_label, in));
  mustache::data parties{mustache::data::type::list};
  for (const auto& party : view.parties) {
    mustache::data item;
    item.set("id", text(party.id));
    item.set("name", text(party.name));
    item.set("logo", text(party.logo));
    item.set("role_label", translated_text(party.role_label, in));
    item.set("selected", flag(party.selected));
    parties.push_back(item);
  }
  data.set("parties", parties);
  data.set("is_admin", flag(view.is_admin));
  data.set("has_products", flag(!view.active.empty()));
  data.set("is_partner", flag(view.current_is_partner));
  // The navigation bar carries Panoramica, Utenti, the products menu and I tuoi enti.
  data.set("has_nav", flag(!view.active.empty() || view.current_is_partner || view.is_admin));
  data.set("products", card_list(view.active));
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

std::string render_or_throw(mustache::mustache& tmpl, mustache::data data, std::string_view name,
                            const page_language& in) {
  // {{#tr}}Italian text{{/tr}}: the text in the page's language, then rendered as a template so
  // the placeholders inside it ({{user_name}}) are filled and escaped as anywhere else.
  const language lang = in.lang;
  data.set("tr", mustache::data{mustache::lambda{
                     [lang](const std::string& italian) { return translated(italian, lang); }}});
  std::string out = tmpl.render(data);
  // Valid templates only fail on a missing partial; none of ours uses one.
  if (!tmpl.is_valid())
    throw std::logic_error("template " + std::string(name) + ": " + tmpl.error_message());
  return out;
}

}  // namespace

page_renderer::page_renderer() : templates_(std::make_unique<parsed>()) {
  for (const auto& source : embedded_page_templates()) {
    mustache::mustache tmpl{std::string(source.text)};
    if (!tmpl.is_valid()) {
      throw std::runtime_error("template " + std::string(source.name) + ": " +
                               tmpl.error_message());
    }
    templates_->by_name.emplace(source.name, std::move(tmpl));
  }
}

page_renderer::~page_renderer() = default;

page_renderer& page_renderer::for_this_thread(language lang, std::string_view path) {
  static thread_local page_renderer renderer;
  renderer.language_ = lang;
  renderer.path_ = std::string(path);
  return renderer;
}

std::string page_renderer::overview(const area_view& view) {
  mustache::data body;
  std::string_view name = "no_party";
  std::string_view title = "Nessun ente associato";
  if (view.has_party) {
    name = "overview";
    title = "Panoramica";
    mustache::data registry{mustache::data::type::list};
    for (const auto& entry : view.registry) {
      mustache::data item;
      item.set("label", translated_text(entry.label, page_language{language_, path_}));
      // Values are data, but a party type's label is varco's own text.
      item.set("value", translated_text(entry.value, page_language{language_, path_}));
      registry.push_back(item);
    }
    body.set("registry", registry);
    body.set("active", card_list(view.active));
    body.set("available", card_list(view.available));
    body.set("csrf", text(view.csrf_token));
  } else {
    body.set("user_name", text(view.user_name));
    body.set("fiscal_number", text(view.fiscal_number));
  }
  auto layout = layout_data(view, title, page_language{language_, path_});
  layout.set("content", text(render_or_throw(templates_->get(name), body, name,
                                             page_language{language_, path_})));
  return render_or_throw(templates_->get("layout"), layout, "layout",
                         page_language{language_, path_});
}

std::string page_renderer::environment_choice(const area_view& view,
                                              const environment_view& environments) {
  mustache::data body;
  body.set("csrf", text(view.csrf_token));
  body.set("product_id", text(environments.product_id));
  body.set("product_title", text(environments.product_title));
  body.set("product_logo", text(environments.product_logo));
  body.set("return_path", text(environments.return_path));
  mustache::data options{mustache::data::type::list};
  for (const auto& option : environments.options) {
    mustache::data item;
    item.set("id", text(option.id));
    item.set("label", text(option.label));
    item.set("enterable", flag(option.enterable));
    item.set("redirect", flag(option.redirect));
    options.push_back(item);
  }
  body.set("options", options);
  auto layout = layout_data(view, "Scegli l'ambiente", page_language{language_, path_});
  layout.set("content", text(render_or_throw(templates_->get("environment"), body, "environment",
                                             page_language{language_, path_})));
  return render_or_throw(templates_->get("layout"), layout, "layout",
                         page_language{language_, path_});
}

std::string page_renderer::users(const area_view& view, const users_view& users,
                                 const users_page_state& state) {
  mustache::data body;
  body.set("party_name", text(view.current.name));
  body.set("csrf", text(view.csrf_token));
  body.set("notice", text(translated(state.notice, language_)));
  body.set("writable", flag(users.writable));
  mustache::data rows{mustache::data::type::list};
  for (const auto& row : users.rows) {
    mustache::data item;
    item.set("fiscal_number", text(row.fiscal_number));
    item.set("name", text(row.name));
    item.set("email", text(row.email));
    item.set("product_id", text(row.product_id));
    item.set("product_title", text(row.product_title));
    item.set("role_label", text(translated(row.role_label, language_)));
    item.set("suspended", flag(row.suspended));
    item.set("manageable", flag(row.manageable));
    item.set("csrf", text(view.csrf_token));
    item.set("writable", flag(users.writable));
    rows.push_back(item);
  }
  body.set("rows", rows);
  body.set("can_add", flag(users.writable && !users.manageable_products.empty()));
  body.set("has_errors", flag(!state.problems.empty()));
  auto problem = [&](const char* field) {
    auto it = state.problems.find(field);
    return it == state.problems.end() ? std::string() : translated(it->second, language_);
  };
  struct field_spec {
    const char* name;
    const char* label;
    const char* type;
    const char* autocomplete;
    const std::string& value;
  };
  const field_spec specs[] = {
      {"fiscal_number", "Codice fiscale", "text", "off", state.form.fiscal_number},
      {"name", "Nome", "text", "off", state.form.name},
      {"family_name", "Cognome", "text", "off", state.form.family_name},
      {"email", "Email", "email", "off", state.form.email},
  };
  mustache::data fields{mustache::data::type::list};
  for (const auto& spec : specs) {
    mustache::data item;
    item.set("name", text(spec.name));
    item.set("label", text(translated(spec.label, language_)));
    item.set("type", text(spec.type));
    item.set("autocomplete", text(spec.autocomplete));
    item.set("value", text(spec.value));
    item.set("error", text(problem(spec.name)));
    fields.push_back(item);
  }
  body.set("fields", fields);
  mustache::data products{mustache::data::type::list};
  for (const auto& option : users.manageable_products) {
    mustache::data item;
    item.set("id", text(option.id));
    item.set("title", text(option.title));
    item.set("selected", flag(option.id == state.form.product));
    products.push_back(item);
  }
  body.set("products", products);
  body.set("product_error", text(problem("product")));
  body.set("role_admin", flag(state.form.role == "admin"));
  body.set("role_error", text(problem("role")));
  auto layout = layout_data(view, "Utenti", page_language{language_, path_});
  layout.set("content", text(render_or_throw(templates_->get("users"), body, "users",
                                             page_language{language_, path_})));
  return render_or_throw(templates_->get("layout"), layout, "layout",
                         page_language{language_, path_});
}

std::string page_renderer::delegations(const area_view& view, const delegations_view& delegations) {
  mustache::data body;
  body.set("applies", flag(delegations.applies));
  body.set("partner_name", text(delegations.partner_name));
  body.set("partner_type", text(delegations.partner_type));
  body.set("search", text(delegations.search));
  body.set("has_search", flag(!delegations.search.empty()));
  body.set("has_partner_type", flag(!delegations.partner_type.empty()));
  body.set("summary", text(delegations_summary(delegations, language_)));
  body.set("has_rows", flag(!delegations.rows.empty()));
  mustache::data rows{mustache::data::type::list};
  for (const auto& row : delegations.rows) {
    mustache::data item;
    item.set("party_id", text(row.party_id));
    item.set("name", text(row.name));
    item.set("fiscal_code", text(row.fiscal_code));
    item.set("product_id", text(row.product_id));
    item.set("product_title", text(row.product_title));
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
  auto layout = layout_data(view, "I tuoi enti", page_language{language_, path_});
  layout.set("content", text(render_or_throw(templates_->get("delegations"), body, "delegations",
                                             page_language{language_, path_})));
  return render_or_throw(templates_->get("layout"), layout, "layout",
                         page_language{language_, path_});
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
    item.set("title", text(card.title));
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
    body.set(std::string(name) + "_error", text(translated(*message, language_)));
    mustache::data item;
    item.set("field_id", text(std::string("support-") + name));
    item.set("text", text(translated(*message, language_)));
    error_list.push_back(item);
  }
  body.set("has_errors", flag(page.errors.any()));
  body.set("store_failed", flag(page.store_failed));
  body.set("error_list", error_list);
  auto layout = layout_data(
      view, page.errors.any() || page.store_failed ? "Errore: Assistenza" : "Assistenza",
      page_language{language_, path_});
  layout.set("content", text(render_or_throw(templates_->get("support"), body, "support",
                                             page_language{language_, path_})));
  return render_or_throw(templates_->get("layout"), layout, "layout",
                         page_language{language_, path_});
}

std::string page_renderer::support_sent(const area_view& view, std::string_view ticket) {
  mustache::data body;
  body.set("ticket", text(std::string(ticket)));
  auto layout = layout_data(view, "Richiesta inviata", page_language{language_, path_});
  layout.set("content", text(render_or_throw(templates_->get("support_sent"), body, "support_sent",
                                             page_language{language_, path_})));
  return render_or_throw(templates_->get("layout"), layout, "layout",
                         page_language{language_, path_});
}

}  // namespace varco::gateway
