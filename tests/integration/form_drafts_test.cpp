// Forms posted after the session ended keep what was typed, end to end through the real varco
// binary, Redis and the pysaml2 IdP: the session is ended in the store (with its revocation, as
// any logout elsewhere does), the form is posted, the browser follows the redirect to the login,
// logs in again with the same cookie jar and finds the form filled in once. Also: cross-site and
// header-less posts keep nothing, a draft cookie naming nothing or another page is ignored and
// cleared, Esci deletes the draft, and the draft writes count against rate_limits.login.
#include "session/session_id.hpp"
#include "tests/integration/integration_stack.hpp"
#include "tests/integration/redis_client.hpp"
#include "tests/integration/saml_stack.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/test_sessions.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <random>

namespace varco::integration {
namespace {

using namespace std::chrono_literals;

const std::string draft_cookie = "varco_draft";
const std::string session_cookie = "varco_session";

// Mario administers pagoPA at the municipality on the Redis directory (Utenti writes there), and
// the Assistenza form is on.
constexpr const char* directory = R"(parties:
  - {id: comune, name: Comune di Valdoria, type: PA, fiscal_code: "80012340123"}
users:
  - {fiscal_number: RSSMRA80A01H501U, name: Mario, family_name: Rossi, email: mario.rossi@example.it}
memberships:
  - {user: RSSMRA80A01H501U, party: comune, product: prod-pagopa, party_role: MANAGER, product_role: admin}
)";

// A stream of its own per stack: the shared Redis is shared by parallel tests.
std::string unique_stream() {
  std::random_device random;
  return "varco-test:drafts:" + std::to_string(random()) + "-" + std::to_string(random());
}

saml_settings draft_settings(const std::string& stream, const std::string& extra = {}) {
  saml_settings s;
  s.directory = directory;
  s.directory_backend = "redis";
  s.extra_config =
      "support:\n  email: assistenza@ente-di-prova.it\n  stream: " + stream + "\n" + extra;
  return s;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string csrf_of(const std::string& html) {
  for (const auto& f : parse_forms(html))
    if (f.action == "/logout") return f.field("csrf");
  return {};
}

const std::vector<std::pair<std::string, std::string>> typed_support = {
    {"email", "mario.rossi@example.org"},
    {"subject", "Avviso non pagabile al collaudo"},
    {"message", "Buongiorno,\r\nl'avviso 3020 risulta già pagato. È urgente.\r\nGrazie"},
    {"product", "prod-pagopa"}};

const std::vector<std::pair<std::string, std::string>> typed_user = {
    {"fiscal_number", giulia_cf},        {"name", "Giulia"},         {"family_name", "Neri"},
    {"email", "giulia.neri@example.it"}, {"product", "prod-pagopa"}, {"role", "admin"}};

class form_drafts : public ::testing::Test {
 protected:
  void SetUp() override { log_in("/area"); }

  std::string own_origin() const { return "http://127.0.0.1:" + std::to_string(stack->port()); }

  // A real SPID login in `b`'s jar, landing on `page`.
  void log_in(const std::string& page) {
    auto acs = stack->login(b, mario_cf, "success", page);
    ASSERT_EQ(acs.status, 303u) << acs.body << stack->varco->output();
    ASSERT_EQ(acs.header("Location"), page);
  }

  // The CSRF token the form's page handed out before the session ended.
  std::string token_of(const std::string& page) {
    auto shown = b.get(stack->url(page));
    EXPECT_EQ(shown.status, 200u) << shown.body;
    return csrf_of(shown.body);
  }

  // Ends the browser's session in the store, as an idle timeout or a logout elsewhere does, and
  // waits until every worker refuses it (the revocation reaches their caches asynchronously).
  void end_session() {
    const auto id = b.cookie(session_cookie);
    ASSERT_TRUE(id);
    delete_session(stack->redis_port, *id, stack->redis_key_prefix);
    ASSERT_TRUE(eventually([&] {
      for (int i = 0; i < 8; ++i)
        if (b.get(stack->url("/area")).status != 302) return false;
      return true;
    }));
  }

  http_response post(const std::string& page,
                     std::vector<std::pair<std::string, std::string>> typed,
                     const std::string& csrf, const header_list& headers) {
    typed.insert(typed.begin(), {"csrf", csrf});
    return b.post_form(stack->url(page), typed, 0, headers);
  }

  // Every draft record of this stack in Redis, read independently of varco.
  std::vector<std::string> draft_records() {
    redis_client redis(stack->redis_port);
    auto keys = redis.command({"KEYS", stack->redis_key_prefix + "d:*"});
    std::vector<std::string> records;
    for (std::size_t i = 0; i < keys->elements; ++i) {
      auto value = redis.command({"GET", keys->element[i]->str});
      if (value->type == REDIS_REPLY_STRING) records.emplace_back(value->str, value->len);
    }
    return records;
  }

  bool logged(const std::string& text) {
    return eventually([&] { return contains(stack->varco->output(), text); }, 2s);
  }

  // The login a post without a session leads to, followed as the browser does: the login page
  // offers the IdP with the form's page as the place to come back to.
  void expect_login_page_returning_to(const http_response& redirect, const std::string& page) {
    auto login_page = b.get(stack->url(redirect.header("Location")));
    ASSERT_EQ(login_page.status, 200u);
    EXPECT_TRUE(contains(login_page.body, "La sessione è scaduta"));
    EXPECT_TRUE(contains(login_page.body, "return=" + replace_all(page, "/", "%2F")))
        << login_page.body;
  }

  std::string stream = unique_stream();
  std::unique_ptr<saml_stack> stack = std::make_unique<saml_stack>(draft_settings(stream));
  test::browser b;
};

TEST_F(form_drafts, an_assistenza_request_typed_while_the_session_ended_is_back_after_login) {
  const std::string csrf = token_of("/area/support");
  ASSERT_FALSE(csrf.empty());
  end_session();

  auto sent = post("/area/support", typed_support, csrf, {{"Origin", own_origin()}});
  ASSERT_EQ(sent.status, 302u) << sent.body;
  EXPECT_EQ(sent.header("Location"), "/login?return=%2Farea%2Fsupport&expired=1");
  ASSERT_TRUE(b.cookie(draft_cookie));
  const std::string set_cookie = sent.header("Set-Cookie");
  EXPECT_TRUE(contains(set_cookie, "HttpOnly")) << set_cookie;
  EXPECT_TRUE(contains(set_cookie, "SameSite=Lax")) << set_cookie;
  EXPECT_TRUE(contains(set_cookie, "Path=/")) << set_cookie;
  EXPECT_TRUE(contains(set_cookie, "Max-Age=300")) << set_cookie;  // saml.request_ttl
  // One record, with the page and the text but not the old token.
  const auto records = draft_records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(contains(records[0], "path=%2Farea%2Fsupport")) << records[0];
  EXPECT_TRUE(contains(records[0], "Avviso"));
  EXPECT_FALSE(contains(records[0], csrf));
  EXPECT_FALSE(contains(records[0], "csrf"));
  EXPECT_TRUE(logged("draft=draft_kept"));
  expect_login_page_returning_to(sent, "/area/support");

  log_in("/area/support");
  auto back = b.get(stack->url("/area/support"));
  ASSERT_EQ(back.status, 200u) << back.body;
  EXPECT_TRUE(contains(back.body, "id=\"draft-notice\""));
  EXPECT_TRUE(
      contains(back.body, "La sessione era scaduta: abbiamo conservato quanto avevi scritto."));
  EXPECT_TRUE(contains(back.body, "value=\"Avviso non pagabile al collaudo\""));
  EXPECT_TRUE(contains(back.body, "Buongiorno,\nl&apos;avviso 3020 risulta già pagato. È urgente."))
      << back.body;
  EXPECT_TRUE(contains(back.body, "value=\"mario.rossi@example.org\""));
  EXPECT_TRUE(contains(back.body, "value=\"prod-pagopa\" selected"));
  // Used once: the cookie is cleared, the record taken, and nothing was sent on the user's behalf.
  EXPECT_FALSE(b.cookie(draft_cookie));
  EXPECT_TRUE(draft_records().empty());
  redis_client redis(stack->redis_port);
  EXPECT_EQ(redis.integer({"XLEN", stream}), 0);

  auto reloaded = b.get(stack->url("/area/support"));
  ASSERT_EQ(reloaded.status, 200u);
  EXPECT_FALSE(contains(reloaded.body, "draft-notice"));
  EXPECT_FALSE(contains(reloaded.body, "Avviso non pagabile"));
}

TEST_F(form_drafts, a_user_being_added_while_the_session_ended_is_back_after_login) {
  const std::string csrf = token_of("/area/users");
  ASSERT_FALSE(csrf.empty());
  end_session();

  auto sent = post("/area/users", typed_user, csrf, {{"Sec-Fetch-Site", "same-origin"}});
  ASSERT_EQ(sent.status, 302u) << sent.body;
  EXPECT_EQ(sent.header("Location"), "/login?return=%2Farea%2Fusers&expired=1");
  ASSERT_TRUE(b.cookie(draft_cookie));
  expect_login_page_returning_to(sent, "/area/users");

  log_in("/area/users");
  auto back = b.get(stack->url("/area/users"));
  ASSERT_EQ(back.status, 200u) << back.body;
  EXPECT_TRUE(contains(back.body, "id=\"draft-notice\""));
  EXPECT_TRUE(contains(back.body, std::string("value=\"") + giulia_cf + "\""));
  EXPECT_TRUE(contains(back.body, "value=\"Giulia\""));
  EXPECT_TRUE(contains(back.body, "value=\"Neri\""));
  EXPECT_TRUE(contains(back.body, "value=\"giulia.neri@example.it\""));
  EXPECT_TRUE(contains(back.body, "id=\"role-admin\" value=\"admin\" checked"));
  // Not added: only shown, to be checked and sent again.
  EXPECT_FALSE(contains(back.body, std::string("data-user=\"") + giulia_cf + "\""));
  EXPECT_FALSE(b.cookie(draft_cookie));
  EXPECT_TRUE(draft_records().empty());

  auto reloaded = b.get(stack->url("/area/users"));
  EXPECT_FALSE(contains(reloaded.body, "draft-notice"));
  EXPECT_FALSE(contains(reloaded.body, std::string("value=\"") + giulia_cf + "\""));
}

TEST_F(form_drafts, a_post_from_another_site_or_without_origin_keeps_nothing) {
  const std::string csrf = token_of("/area/support");
  end_session();
  // Another site's page posting the form, a browser claiming cross-site with a matching Origin,
  // and a client sending neither header: all still go to the login, none leaves a draft.
  const std::vector<std::pair<header_list, std::string>> cases = {
      {{{"Origin", "http://evil.example"}}, "draft=draft_refused_cross_site"},
      {{{"Origin", "null"}}, "draft=draft_refused_cross_site"},
      {{{"Sec-Fetch-Site", "cross-site"}, {"Origin", own_origin()}},
       "draft=draft_refused_cross_site"},
      {{{"Sec-Fetch-Site", "same-site"}}, "draft=draft_refused_cross_site"},
      {{}, "draft=draft_refused_no_origin"},
  };
  for (const auto& [headers, reason] : cases) {
    auto sent = post("/area/support", typed_support, csrf, headers);
    ASSERT_EQ(sent.status, 302u) << reason;
    EXPECT_EQ(sent.header("Location"), "/login?return=%2Farea%2Fsupport&expired=1");
    EXPECT_EQ(sent.count("Set-Cookie"), 0u) << reason;
    EXPECT_FALSE(b.cookie(draft_cookie)) << reason;
    EXPECT_TRUE(logged(reason)) << reason;
  }
  EXPECT_TRUE(draft_records().empty());
  // An API client is answered 401 and keeps nothing either.
  auto api = http_request(stack->port(), boost::beast::http::verb::post, "/area/support",
                          {{"Accept", "application/json"},
                           {"Origin", own_origin()},
                           {"Content-Type", "application/x-www-form-urlencoded"}},
                          form_encode(typed_support));
  EXPECT_EQ(api.status, 401u);
  EXPECT_EQ(api.count("Set-Cookie"), 0u);
  EXPECT_TRUE(draft_records().empty());

  log_in("/area/support");
  auto page = b.get(stack->url("/area/support"));
  EXPECT_FALSE(contains(page.body, "draft-notice"));
  EXPECT_FALSE(contains(page.body, "Avviso non pagabile"));
}

TEST_F(form_drafts, a_draft_cookie_naming_nothing_or_another_page_is_ignored_and_cleared) {
  // Another browser's cookie (an id this store never issued) and a malformed one.
  for (const std::string& planted : {session::new_session_id(), std::string("not-an-id")}) {
    b.set_cookie(draft_cookie, planted);
    auto page = b.get(stack->url("/area/support"));
    ASSERT_EQ(page.status, 200u);
    EXPECT_FALSE(contains(page.body, "draft-notice"));
    EXPECT_TRUE(contains(page.header("Set-Cookie"), draft_cookie + "=; ")) << planted;
    EXPECT_FALSE(b.cookie(draft_cookie));
  }

  // A draft of the add-user form, then a login that lands on Assistenza.
  const std::string csrf = token_of("/area/users");
  end_session();
  auto sent = post("/area/users", typed_user, csrf, {{"Origin", own_origin()}});
  ASSERT_EQ(sent.status, 302u);
  ASSERT_TRUE(b.cookie(draft_cookie));
  ASSERT_EQ(draft_records().size(), 1u);
  log_in("/area/support");
  auto elsewhere = b.get(stack->url("/area/support"));
  ASSERT_EQ(elsewhere.status, 200u);
  EXPECT_FALSE(contains(elsewhere.body, "draft-notice"));
  EXPECT_FALSE(contains(elsewhere.body, "Giulia"));
  EXPECT_FALSE(b.cookie(draft_cookie));
  EXPECT_TRUE(draft_records().empty());  // unreachable without its cookie: deleted
  auto users = b.get(stack->url("/area/users"));
  EXPECT_FALSE(contains(users.body, "draft-notice"));
  EXPECT_FALSE(contains(users.body, std::string("value=\"") + giulia_cf + "\""));
}

TEST_F(form_drafts, esci_deletes_the_draft_and_clears_its_cookie) {
  const std::string csrf = token_of("/area/support");
  end_session();
  ASSERT_EQ(post("/area/support", typed_support, csrf, {{"Origin", own_origin()}}).status, 302u);
  ASSERT_TRUE(b.cookie(draft_cookie));
  // Back through another page: the draft waits for the form's page.
  log_in("/area");
  ASSERT_EQ(draft_records().size(), 1u);
  ASSERT_TRUE(b.cookie(draft_cookie));

  auto out = b.post_form(stack->url("/logout"), {{"csrf", token_of("/area")}});
  ASSERT_EQ(out.status, 302u) << out.body;  // on to the IdP's Single Logout
  EXPECT_FALSE(b.cookie(draft_cookie));
  EXPECT_FALSE(b.cookie(session_cookie));
  EXPECT_TRUE(draft_records().empty());

  // The next user of this browser finds an empty form.
  log_in("/area/support");
  auto page = b.get(stack->url("/area/support"));
  ASSERT_EQ(page.status, 200u);
  EXPECT_FALSE(contains(page.body, "draft-notice"));
  EXPECT_FALSE(contains(page.body, "Avviso non pagabile"));
}

TEST(form_drafts_rate_limit, drafts_count_against_the_login_limit_of_the_client) {
  saml_stack stack(
      draft_settings(unique_stream(), "rate_limits:\n  login: {requests: 2, window: 1h}\n"));
  test::browser b;
  const header_list same_origin = {{"Origin", "http://127.0.0.1:" + std::to_string(stack.port())}};
  // No session cookie at all: a fresh visitor posting the form.
  for (int i = 0; i < 2; ++i) {
    auto kept = b.post_form(stack.url("/area/support"), typed_support, 0, same_origin);
    ASSERT_EQ(kept.status, 302u);
    EXPECT_EQ(kept.header("Location"), "/login?return=%2Farea%2Fsupport");
    EXPECT_TRUE(contains(kept.header("Set-Cookie"), draft_cookie + "=")) << i;
  }
  b.forget_cookie(draft_cookie);
  auto over = b.post_form(stack.url("/area/support"), typed_support, 0, same_origin);
  ASSERT_EQ(over.status, 302u);  // still sent to the login, with nothing kept
  EXPECT_EQ(over.count("Set-Cookie"), 0u);
  EXPECT_FALSE(b.cookie(draft_cookie));
  EXPECT_TRUE(eventually(
      [&] { return contains(stack.varco->output(), "draft=draft_refused_rate_limited"); }, 2s));
  // One budget with /saml/login: the drafts used it up.
  const auto login =
      http_get(stack.port(), "/saml/login?idp=" + replace_all(stack.idp->entity_id(), ":", "%3A"));
  EXPECT_EQ(login.status, 429u);
}

}  // namespace
}  // namespace varco::integration
