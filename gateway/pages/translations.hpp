// The Area Riservata in English: the pages are written in Italian, and this catalog maps each
// Italian text to its English version, the Italian text itself being the key (as gettext's msgid).
// Templates mark translatable text as {{#tr}}…{{/tr}} (page_renderer supplies the lambda); texts
// built in C++ (role and registry labels, notices, field errors) go through translated().
//
// Whitespace runs in a key count as one space, so a template may wrap its text freely. A text
// with no entry stays Italian: the unit tests check that every {{#tr}} text of every embedded
// template has one. To add a string: write it in Italian in the template inside {{#tr}}…{{/tr}}
// (or pass it through translated() in C++) and add the pair to translations.cpp.
#pragma once

#include "gateway/http/language.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace varco::gateway {

// `text` with every run of whitespace turned into one space and no space at either end.
std::string collapse_whitespace(std::string_view text);

// The English of an Italian text; nullopt when the catalog has none.
std::optional<std::string_view> english_for(std::string_view italian);

// `italian` in `to`: the catalog's English, or the Italian when there is none (or to is it).
std::string translated(std::string_view italian, language to);

// Every (Italian, English) pair, for the tests.
const std::vector<std::pair<std::string_view, std::string_view>>& translation_catalog();

}  // namespace varco::gateway
