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

}  // namespace varco::gateway
