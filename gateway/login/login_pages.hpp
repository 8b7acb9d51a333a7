// The pages of the login flow that varco renders itself: the login page (SPID IdP list and the CIE
// button), the SAML error page (with the SPID anomaly courtesy texts), the logged-out page. Italian
// first, English second; every value HTML-escaped; no inline script (a strict
// Content-Security-Policy applies). The Area Riservata restyles these later.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace varco::gateway {

inline constexpr std::string_view login_stylesheet_path = "/static/varco/login.css";
// Plain, accessible defaults (system fonts, visible focus, AA contrast) until the Area Riservata
// brings Bootstrap Italia.
inline constexpr std::string_view login_stylesheet =
    "body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;background:#f5f5f5}"
    ".varco-login{max-width:40rem;margin:2rem auto;padding:2rem;background:#fff;"
    "border-radius:4px}h1{color:#0b3d91;font-size:1.6rem}h2{font-size:1.2rem}"
    ".idp-list{list-style:none;padding:0}.idp-list li{margin:.4rem 0}"
    "a,button{color:#0b3d91}a:focus,button:focus{outline:3px solid #ffbf47;outline-offset:2px}"
    ".idp,.button,button{display:inline-block;padding:.6rem 1rem;border:2px solid #0b3d91;"
    "border-radius:4px;background:#fff;text-decoration:none;font-size:1rem}"
    "button[disabled]{color:#555;border-color:#999;cursor:not-allowed}"
    ".notice{background:#fff4ce;padding:.6rem}.details{color:#444;font-size:.9rem}";

struct idp_choice {
  std::string entity_id;
  std::string name;
  std::string logo;  // may be empty
};

struct login_page {
  std::vector<idp_choice> spid;  // already in display (random) order
  std::vector<idp_choice> cie;   // empty: the CIE button shows "presto disponibile"
  bool cie_configured = false;
  std::string return_path;           // kept through the login; "" → /area
  std::string notice_it, notice_en;  // e.g. "session expired"
  std::string support_email;         // support.email: "Assistenza" as a mailto: link; may be ""
};
std::string render_login_page(const login_page& page);

// The SPID anomaly courtesy texts (nr19 … nr30); empty when `code` is not one of them.
struct anomaly_text {
  std::string_view it, en;
};
anomaly_text spid_anomaly_text(std::string_view code);

struct login_error {
  unsigned status = 400;
  std::string reason_code;
  std::string anomaly;  // "nr22" when the IdP reported a SPID anomaly
  std::string request_id;
  std::string support_email;  // as in login_page
};
std::string render_login_error_page(const login_error& error);
std::string render_login_error_json(const login_error& error);

std::string render_logged_out_page(bool idp_confirmed, std::string_view support_email = {});

}  // namespace varco::gateway
