// What the login flow says when a login is refused: the SPID anomaly courtesy texts and the JSON
// body API clients get. The pages themselves (login, refused login, logged out) are rendered by
// gateway/pages/page_renderer.hpp in the Area Riservata's frame.
#pragma once

#include <string>
#include <string_view>

namespace varco::gateway {

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
  std::string support_email;  // support.email; may be ""
};
std::string render_login_error_json(const login_error& error);

}  // namespace varco::gateway
