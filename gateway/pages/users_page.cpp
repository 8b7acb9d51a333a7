// Utenti: the party's users (a table, cards on phones), their actions with the confirmation
// dialogs, and the add form as typed or restored from a draft.
#include "gateway/pages/page_frame.hpp"

namespace varco::gateway {

using namespace page_detail;

std::string page_renderer::users(const area_view& view, const users_view& users,
                                 const users_page_state& state) {
  mustache::data body;
  body.set("party_name", text(view.current.name));
  body.set("csrf", text(view.csrf_token));
  body.set("draft_restored", flag(state.draft_restored));
  body.set("writable", flag(users.writable));
  mustache::data rows{mustache::data::type::list};
  for (const auto& row : users.rows) {
    mustache::data item;
    item.set("fiscal_number", text(row.fiscal_number));
    item.set("name", text(row.name));
    item.set("display_name", text(display_name_of(row.name, row.fiscal_number)));
    for (const char* action : {"suspend", "reactivate", "remove"}) {
      item.set(std::string(action) + "_url",
               text(member_action_url(row.fiscal_number, row.product_id, action)));
    }
    item.set("email", text(row.email));
    item.set("product_id", text(row.product_id));
    item.set("product_title",
             text(in_language(row.product_title, row.product_title_en, context_.lang)));
    item.set("role_label", text(translated(row.role_label, context_.lang)));
    item.set("suspended", flag(row.suspended));
    item.set("manageable", flag(row.manageable));
    item.set("csrf", text(view.csrf_token));
    item.set("writable", flag(users.writable));
    rows.push_back(item);
  }
  body.set("rows", rows);
  // One dialog per action, filled from the row that opens it.
  mustache::data dialogs{mustache::data::type::list};
  for (const auto action :
       {confirmed_action::suspend, confirmed_action::reactivate, confirmed_action::remove})
    dialogs.push_back(confirm_data(action, context_.lang));
  body.set("dialogs", dialogs);
  body.set("can_add", flag(users.writable && !users.manageable_products.empty()));
  body.set("has_errors", flag(!state.problems.empty()));
  auto problem = [&](const char* field) {
    auto it = state.problems.find(field);
    return it == state.problems.end() ? std::string() : translated(it->second, context_.lang);
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
    item.set("label", text(translated(spec.label, context_.lang)));
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
    item.set("title", text(in_language(option.title, option.title_en, context_.lang)));
    item.set("selected", flag(option.id == state.form.product));
    products.push_back(item);
  }
  body.set("products", products);
  body.set("product_error", text(problem("product")));
  body.set("role_admin", flag(state.form.role == "admin"));
  body.set("role_error", text(problem("role")));
  return framed(*templates_, context_, &view, "users", "Utenti", "users", std::move(body));
}

}  // namespace varco::gateway
