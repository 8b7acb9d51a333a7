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

mustache::data text(const std::string& value) { return mustache::data{value}; }

mustache::data flag(bool value) {
  return mustache::data{value ? mustache::data::type::bool_true : mustache::data::type::bool_false};
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
    list.push_back(item);
  }
  return list;
}

// What every page shows: who is signed in, the party and role, the switcher, the products menu.
mustache::data layout_data(const area_view& view, std::string_view title) {
  mustache::data data;
  data.set("title", text(std::string(title)));
  data.set("user_name", text(view.user_name));
  data.set("fiscal_number", text(view.fiscal_number));
  data.set("provider", text(view.provider));
  data.set("provider_label", text(view.provider_label));
  data.set("csrf", text(view.csrf_token));
  data.set("has_party", flag(view.has_party));
  data.set("current_name", text(view.current.name));
  data.set("current_logo", text(view.current.logo));
  data.set("current_role", text(view.current.role_label));
  mustache::data parties{mustache::data::type::list};
  for (const auto& party : view.parties) {
    mustache::data item;
    item.set("id", text(party.id));
    item.set("name", text(party.name));
    item.set("logo", text(party.logo));
    item.set("role_label", text(party.role_label));
    item.set("selected", flag(party.selected));
    parties.push_back(item);
  }
  data.set("parties", parties);
  data.set("has_products", flag(!view.active.empty()));
  data.set("products", card_list(view.active));
  return data;
}

std::string render_or_throw(mustache::mustache& tmpl, const mustache::data& data,
                            std::string_view name) {
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

page_renderer& page_renderer::for_this_thread() {
  static thread_local page_renderer renderer;
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
      item.set("label", text(entry.label));
      item.set("value", text(entry.value));
      registry.push_back(item);
    }
    body.set("registry", registry);
    body.set("active", card_list(view.active));
    body.set("available", card_list(view.available));
  } else {
    body.set("user_name", text(view.user_name));
    body.set("fiscal_number", text(view.fiscal_number));
  }
  auto layout = layout_data(view, title);
  layout.set("content", text(render_or_throw(templates_->get(name), body, name)));
  return render_or_throw(templates_->get("layout"), layout, "layout");
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
  auto layout = layout_data(view, "Scegli l'ambiente");
  layout.set("content", text(render_or_throw(templates_->get("environment"), body, "environment")));
  return render_or_throw(templates_->get("layout"), layout, "layout");
}

}  // namespace varco::gateway
