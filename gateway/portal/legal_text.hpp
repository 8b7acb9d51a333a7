// The public legal pages (/terms, /privacy): the operator's text, written in Markdown-lite, turned
// into HTML, and the page around it in the login pages' look (/static/varco/login.css).
//
// Markdown-lite rather than an HTML fragment: the text is trusted, but every character of it is
// still escaped, so a pasted <script> or style="…" can neither run nor break the strict
// Content-Security-Policy, and the operator needs no HTML. What it understands, one construct per
// line:
//   # Title / ## Title / ### Title   headings h2 / h3 / h4 (the page's own h1 is its name)
//   - item  or  * item               bulleted list
//   1. item                          numbered list
//   blank line                       ends a paragraph or a list
//   **bold**                         strong
//   [text](https://…)                link; also http://, mailto: and /paths; other targets stay
//   text
// Everything else is paragraph text; consecutive lines join into one paragraph.
//
// Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace varco::gateway {

std::string markdown_lite_to_html(std::string_view text);

struct legal_page {
  std::string lang = "it";  // "it" or "en": the html element's lang
  std::string title;        // "Termini e condizioni d'uso"
  std::string body_html;    // from markdown_lite_to_html
  // The same page in the other language, when configured: its URL and link text in that language.
  std::string other_language_url;
  std::string other_language_label;
  std::string other_language;  // its lang code, for the link's lang attribute
};
std::string render_legal_page(const legal_page& page);

}  // namespace varco::gateway
