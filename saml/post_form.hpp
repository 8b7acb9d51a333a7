// The HTTP-POST binding's browser hop: an HTML page whose form carries a SAML message (base64) and
// its RelayState to the peer, submitted automatically. Shared by AuthnRequest and logout messages.
//
// The page holds no inline script and no inline style, so it works under a strict
// Content-Security-Policy (script-src 'self'): the submission is done by a tiny external script
// (autopost_script, to be served at autopost_script_path) that submits the form with id
// post_form_id. A visible button submits the same form when JavaScript is off or blocked.
#pragma once

#include <string>
#include <string_view>

namespace varco::saml {

inline constexpr std::string_view autopost_script_path = "/static/varco/autopost.js";
inline constexpr std::string_view post_form_id = "saml-post-form";
// The body of autopost_script_path (application/javascript). Deferred, so the form exists.
inline constexpr std::string_view autopost_script =
    "\"use strict\";\n"
    "(function () {\n"
    "  var form = document.getElementById(\"saml-post-form\");\n"
    "  if (form) form.submit();\n"
    "})();\n";

struct post_form {
  std::string action;        // the peer's endpoint URL (absolute)
  std::string message_name;  // "SAMLRequest" or "SAMLResponse"
  std::string message;       // the base64 of the signed XML
  std::string relay_state;   // omitted from the form when empty
};

// The complete HTML document (UTF-8); every value is escaped.
std::string render_post_form(const post_form& form);

}  // namespace varco::saml
