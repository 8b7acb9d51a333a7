// The machinery every page of page_renderer shares, kept out of page_renderer.hpp so kainjow's
// types stay private to the renderer's own files (page_renderer.cpp: the Area Riservata's pages;
// public_pages.cpp: login, errors, logged-out, legal texts).
#pragma once

#include "gateway/pages/page_renderer.hpp"

#include <kainjow/mustache.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace varco::gateway {

namespace mustache = kainjow::mustache;

struct page_renderer::parsed {
  std::unordered_map<std::string_view, mustache::mustache> by_name;
  std::unordered_map<std::string_view, std::string_view> sources;

  mustache::mustache& get(std::string_view name) {
    auto it = by_name.find(name);
    // Names are compile-time constants of this file; a missing one is a build defect.
    if (it == by_name.end()) throw std::logic_error("no template " + std::string(name));
    return it->second;
  }
  std::string_view source(std::string_view name) const {
    auto it = sources.find(name);
    if (it == sources.end()) throw std::logic_error("no template " + std::string(name));
    return it->second;
  }
};

namespace page_detail {

using parsed_templates = page_renderer::parsed;

// A mustache boolean; a string that is false when empty (kainjow treats "" as true).
mustache::data flag(bool value);
mustache::data text(const std::string& value);
// The frame of every page: brand, language switch, footer; with a user, also the user menu, the
// party switcher and the navigation (`active_nav` marks the current entry).
mustache::data layout_data(const page_context& context, const area_view* user,
                           std::string_view title, std::string_view active_nav);
// Renders template `name` with the {{#tr}} lambda and the {{>avatar}} partial.
std::string render_or_throw(parsed_templates& templates, std::string_view name, mustache::data data,
                            language lang);
// The data of a confirmation ({{>confirm_text}}, {{>confirm_dialog}}) for `action`: its key,
// title, button label and form (confirm_pages.cpp). A dialog's names are filled on the page by
// varco-ui.js from the button that opened it.
mustache::data confirm_data(confirmed_action action, language lang);
// A configured text in the page's language: the English one on English pages when there is one.
const std::string& in_language(const std::string& italian, const std::string& english,
                               language lang);
// The user's name in a row or question: the name, else the fiscal number.
std::string display_name_of(const std::string& name, const std::string& fiscal_number);
// The links of Sospendi/Riattiva/Rimuovi and Aderisci: their confirmation pages, which the
// dialogs replace when scripts run.
std::string member_action_url(std::string_view fiscal_number, std::string_view product_id,
                              std::string_view action);
std::string join_url(std::string_view product_id);

// `body` through template `name`, then inside the layout.
std::string framed(parsed_templates& templates, const page_context& context, const area_view* user,
                   std::string_view name, std::string_view title, std::string_view active_nav,
                   mustache::data body);

}  // namespace page_detail
}  // namespace varco::gateway
