// The demo SPID/CIE IdP's pages as a user goes through them in a scripted browser: its login form
// filled in and submitted, and the auto-post form that carries its Response back to varco.
//
// Not thread-safe (the browser is not); network errors throw.
#pragma once

#include "tests/support/browser.hpp"
#include "tests/support/idp_process.hpp"

#include <optional>
#include <string>

namespace varco::test {

// The IdP's login page `at_idp` filled in for `user` (password "password", as for every user of
// demo/idp/users.json) with `answer` ("success" or an anomaly such as "nr22") and submitted;
// returns the IdP's answer, the page that auto-posts the Response. Throws when the page has no
// login form or the IdP does not answer 200.
http_response answer_idp_login(browser& b, const http_response& at_idp, const std::string& user,
                               const std::string& answer, const idp_process& idp);

// The form of an IdP answer page that auto-posts the Response to varco; nullopt when absent.
std::optional<html_form> saml_response_form(const http_response& page);

// Submits that form as the browser would; throws when the page has none.
http_response post_saml_response(browser& b, const http_response& page, const idp_process& idp);

}  // namespace varco::test
