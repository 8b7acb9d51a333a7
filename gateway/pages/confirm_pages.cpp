// Confirmations before an administrator's changes: the dialogs of Utenti and Panoramica and, for
// browsers without JavaScript, the confirmation page at the action's own path (GET).
#include "gateway/http/url_encoding.hpp"
#include "gateway/pages/page_frame.hpp"

#include <array>

namespace varco::gateway {

using namespace page_detail;

namespace {

struct action_words {
  confirmed_action action;
  std::string_view key;    // also the form's `action` value for a membership
  std::string_view title;  // Italian
  std::string_view label;
  bool danger;  // the button is red: the change cannot be undone from here
};

constexpr std::array<action_words, 4> actions{{
    {confirmed_action::suspend, "suspend", "Sospendi utente", "Sospendi", false},
    {confirmed_action::reactivate, "reactivate", "Riattiva utente", "Riattiva", false},
    {confirmed_action::remove, "remove", "Rimuovi utente", "Rimuovi", true},
    {confirmed_action::join, "join", "Aderisci al prodotto", "Aderisci", false},
}};

const action_words& words_of(confirmed_action action) {
  for (const auto& words : actions)
    if (words.action == action) return words;
  return actions.front();
}

}  // namespace

namespace page_detail {

mustache::data confirm_data(confirmed_action action, language lang) {
  const action_words& words = words_of(action);
  mustache::data data;
  data.set("key", text(std::string(words.key)));
  data.set("title", text(translated(words.title, lang)));
  data.set("confirm_label", text(translated(words.label, lang)));
  data.set("danger", flag(words.danger));
  for (const auto& other : actions) data.set(std::string(other.key), flag(other.action == action));
  const bool member = action != confirmed_action::join;
  data.set("member", flag(member));
  data.set("post_path", text(member ? "/area/users/member" : "/area/join"));
  return data;
}

std::string display_name_of(const std::string& name, const std::string& fiscal_number) {
  return name.empty() ? fiscal_number : name;
}

std::string member_action_url(std::string_view fiscal_number, std::string_view product_id,
                              std::string_view action) {
  return "/area/users/member?user=" + percent_encode(fiscal_number) +
         "&product=" + percent_encode(product_id) + "&action=" + std::string(action);
}

std::string join_url(std::string_view product_id) {
  return "/area/join?product=" + percent_encode(product_id);
}

}  // namespace page_detail

std::string page_renderer::confirm(const area_view& view, const confirm_view& page) {
  mustache::data body = confirm_data(page.action, context_.lang);
  body.set("csrf", text(view.csrf_token));
  body.set("member_name", text(display_name_of(page.member_name, page.member_fiscal_number)));
  body.set("product_title", text(page.product_title));
  body.set("party_name", text(view.current.name));
  mustache::data fields{mustache::data::type::list};
  auto field = [&fields](const char* name, const std::string& value) {
    mustache::data item;
    item.set("name", text(name));
    item.set("value", text(value));
    fields.push_back(item);
  };
  const bool member = page.action != confirmed_action::join;
  if (member) {
    field("user", page.member_fiscal_number);
    field("action", std::string(words_of(page.action).key));
  }
  field("product", page.product_id);
  body.set("fields", fields);
  body.set("cancel_url", text(member ? "/area/users" : "/area"));
  const std::string title(words_of(page.action).title);
  return framed(*templates_, context_, &view, "confirm", title, member ? "users" : "overview",
                std::move(body));
}

}  // namespace varco::gateway
