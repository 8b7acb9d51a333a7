// Utenti and Aderisci through a real SPID login (pysaml2 IdP) on the Redis directory: an
// administrator adds a user who can then log in and reach the product, suspends and removes
// users, asks to join a product; operators are refused the routes themselves (403), forms need the
// session's CSRF token, bad input comes back as the form with field errors, and the YAML file
// backend refuses changes.
#include "tests/integration/integration_stack.hpp"
#include "tests/integration/saml_stack.hpp"

#include <gtest/gtest.h>

namespace varco::integration {
namespace {

constexpr const char* luigi_cf = "VRDLGU85B02F205X";

constexpr const char* extra_products = R"(  - id: prod-pn
    title: SEND
    path_prefix: /pn
    required_party_roles: [MANAGER]
    environments:
      - {id: produzione, label: Ambiente di Produzione, upstreams: [{portal}], audience: pn-produzione}
)";

// Mario administers pagoPA at the municipality; Luigi operates there.
constexpr const char* directory = R"(parties:
  - {id: comune, name: Comune di Valdoria, type: PA, fiscal_code: "80012340123"}
users:
  - {fiscal_number: RSSMRA80A01H501U, name: Mario, family_name: Rossi, email: mario.rossi@example.it}
  - {fiscal_number: VRDLGU85B02F205X, name: Luigi, family_name: Verdi, email: luigi.verdi@example.it}
memberships:
  - {user: RSSMRA80A01H501U, party: comune, product: prod-pagopa, party_role: MANAGER, product_role: admin}
  - {user: VRDLGU85B02F205X, party: comune, product: prod-pagopa, party_role: OPERATOR, product_role: operator}
)";

saml_settings users_settings(std::string backend = "redis") {
  saml_settings s;
  s.extra_products = extra_products;
  s.directory = directory;
  s.directory_backend = std::move(backend);
  return s;
}

std::string csrf_of(const std::string& html) {
  for (const auto& f : parse_forms(html))
    if (f.action == "/logout") return f.field("csrf");
  return {};
}

test::html_form form_with_action(const std::string& html, const std::string& action,
                                 const std::string& user = {}) {
  for (const auto& f : parse_forms(html))
    if (f.action == action && (user.empty() || f.field("user") == user)) return f;
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The link of a row's action (Sospendi, Riattiva, Rimuovi): its confirmation page.
std::string action_link(const std::string& user, const std::string& action) {
  return "/area/users/member?user=" + user + "&product=prod-pagopa&action=" + action;
}

// Runs the varco binary with `arguments`; its exit status and combined output.
std::pair<int, std::string> run_varco(const std::string& arguments) {
  const std::string command = std::string(VARCO_BIN_DEFAULT) + " " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::string out;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  return {::pclose(pipe), out};
}

class users : public ::testing::Test {
 protected:
  void SetUp() override {
    auto acs = stack.login(mario, mario_cf);
    ASSERT_EQ(acs.status, 303u) << acs.body << stack.varco->output();
    auto page = mario.get(stack.url("/area/users"));
    ASSERT_EQ(page.status, 200u) << page.body;
    csrf = csrf_of(page.body);
    ASSERT_FALSE(csrf.empty());
  }

  // The add form filled in for Giulia, as Mario's browser would send it.
  std::vector<std::pair<std::string, std::string>> giulia_fields(std::string role = "operator") {
    return {
        {"csrf", csrf},           {"fiscal_number", giulia_cf},        {"name", "Giulia"},
        {"family_name", "Neri"},  {"email", "giulia.neri@example.it"}, {"product", "prod-pagopa"},
        {"role", std::move(role)}};
  }

  saml_stack stack{users_settings()};
  test::browser mario;
  std::string csrf;
};

TEST_F(users, lists_the_partys_users_with_names_roles_and_status) {
  auto page = mario.get(stack.url("/area/users"));
  ASSERT_EQ(page.status, 200u);
  EXPECT_TRUE(contains(page.body, "Luigi Verdi"));
  EXPECT_TRUE(contains(page.body, "luigi.verdi@example.it"));
  EXPECT_TRUE(contains(page.body, luigi_cf));
  EXPECT_TRUE(contains(page.body, "Operatore"));
  EXPECT_TRUE(contains(page.body, "Amministratore"));
  // Luigi's row has actions (links to their confirmations); Mario's own row has none.
  EXPECT_TRUE(
      contains(page.body, "href=\"" + replace_all(action_link(luigi_cf, "suspend"), "&", "&amp;")));
  EXPECT_FALSE(contains(page.body, "user=" + std::string(mario_cf)));
  EXPECT_EQ(form_with_action(page.body, "/area/users").action, "/area/users");
  // The navigation offers Utenti to administrators.
  EXPECT_TRUE(contains(mario.get(stack.url("/area")).body, "href=\"/area/users\""));
}

TEST_F(users, an_added_user_logs_in_and_reaches_the_product) {
  auto added = mario.post_form(stack.url("/area/users"), giulia_fields());
  ASSERT_EQ(added.status, 303u) << added.body;
  EXPECT_EQ(added.header("Location"), "/area/users?done=added");
  auto listed = mario.get(stack.url("/area/users?done=added"));
  EXPECT_TRUE(contains(listed.body, "Giulia Neri"));
  EXPECT_TRUE(contains(listed.body, "Utente aggiunto"));

  // Giulia had no party before; now her login lands on the municipality's Panoramica.
  test::browser giulia;
  ASSERT_EQ(stack.login(giulia, giulia_cf).status, 303u);
  auto overview = giulia.get(stack.url("/area"));
  ASSERT_EQ(overview.status, 200u);
  EXPECT_TRUE(contains(overview.body, "Comune di Valdoria"));
  EXPECT_TRUE(contains(overview.body, "Operatore"));
  // An operator: no Utenti in the navigation, and the route itself is refused.
  EXPECT_FALSE(contains(overview.body, "href=\"/area/users\""));
  EXPECT_EQ(giulia.get(stack.url("/area/users")).status, 403u);
  auto env_page = giulia.get(stack.url("/area/environment?product=prod-pagopa"));
  ASSERT_EQ(env_page.status, 200u);
  const auto collaudo =
      test::form_choosing(env_page.body, "environments", "environment", "collaudo");
  ASSERT_EQ(giulia.submit(collaudo, stack.port()).status, 303u);
  auto portal = giulia.get(stack.url("/pagopa/home"));
  ASSERT_EQ(portal.status, 200u) << portal.body;
  echoed seen(portal);
  EXPECT_EQ(seen.value("X-Varco-Product"), "prod-pagopa");

  // Each action the no-script way: its link → the confirmation page → Conferma (its form).
  // Suspended: her very next request is refused; reactivated: allowed again.
  const auto confirm = [&](const std::string& action, const std::string& done) {
    auto page = mario.get(stack.url(action_link(giulia_cf, action)));
    EXPECT_EQ(page.status, 200u) << page.body;
    EXPECT_TRUE(contains(page.body, "Giulia Neri")) << action;
    // Nothing happens before the confirmation.
    EXPECT_EQ(giulia.get(stack.url("/pagopa/home")).status, action == "reactivate" ? 403u : 200u);
    test::html_form form;
    for (const auto& f : parse_forms(page.body))
      if (f.id == "confirm") form = f;
    EXPECT_EQ(form.action, "/area/users/member") << page.body;
    EXPECT_EQ(form.field("action"), action);
    auto done_answer = mario.submit(form, stack.port());
    EXPECT_EQ(done_answer.status, 303u) << done_answer.body;
    EXPECT_EQ(done_answer.header("Location"), "/area/users?done=" + done);
    return mario.get(stack.url(done_answer.header("Location"))).body;
  };
  auto listed_after = confirm("suspend", "suspended");
  EXPECT_TRUE(contains(listed_after, "Sospeso"));
  EXPECT_TRUE(contains(listed_after, "Utente sospeso"));  // the notice
  EXPECT_EQ(giulia.get(stack.url("/pagopa/home")).status, 403u);

  listed_after = confirm("reactivate", "reactivated");
  EXPECT_TRUE(contains(listed_after, "Utente riattivato"));
  EXPECT_EQ(giulia.get(stack.url("/pagopa/home")).status, 200u);

  listed_after = confirm("remove", "removed");
  EXPECT_TRUE(contains(listed_after, "Utente rimosso"));
  EXPECT_FALSE(contains(mario.get(stack.url("/area/users")).body, giulia_cf));
  EXPECT_EQ(giulia.get(stack.url("/pagopa/home")).status, 403u);
}

TEST_F(users, operators_are_refused_every_users_route) {
  test::browser luigi;
  ASSERT_EQ(stack.login(luigi, luigi_cf).status, 303u);
  auto overview = luigi.get(stack.url("/area"));
  const std::string luigi_csrf = csrf_of(overview.body);
  ASSERT_FALSE(luigi_csrf.empty());
  EXPECT_EQ(luigi.get(stack.url("/area/users")).status, 403u);
  auto fields = giulia_fields();
  fields[0].second = luigi_csrf;
  EXPECT_EQ(luigi.post_form(stack.url("/area/users"), fields).status, 403u);
  EXPECT_EQ(luigi
                .post_form(stack.url("/area/users/member"), {{"csrf", luigi_csrf},
                                                             {"user", mario_cf},
                                                             {"product", "prod-pagopa"},
                                                             {"action", "suspend"}})
                .status,
            403u);
  // Nothing changed: Mario is still there and active.
  auto page = mario.get(stack.url("/area/users"));
  EXPECT_FALSE(contains(page.body, giulia_cf));
  EXPECT_FALSE(contains(page.body, "Sospeso"));
}

TEST_F(users, forms_need_the_csrf_token_and_bad_input_is_shown_back) {
  auto fields = giulia_fields();
  fields[0].second = "forged";
  EXPECT_EQ(mario.post_form(stack.url("/area/users"), fields).status, 403u);
  fields.erase(fields.begin());
  EXPECT_EQ(mario.post_form(stack.url("/area/users"), fields).status, 403u);

  auto bad = giulia_fields();
  bad[1].second = "NOT-A-CF";
  bad[4].second = "giulia-at-example";
  auto answer = mario.post_form(stack.url("/area/users"), bad);
  EXPECT_EQ(answer.status, 422u);
  EXPECT_TRUE(contains(answer.body, "Inserisci un codice fiscale"));
  EXPECT_TRUE(contains(answer.body, "Inserisci un indirizzo email valido"));
  // What was typed is kept (escaped), so nothing has to be typed again.
  EXPECT_TRUE(contains(answer.body, "value=\"giulia-at-example\""));
  EXPECT_TRUE(contains(answer.body, "value=\"Giulia\""));
  EXPECT_TRUE(contains(answer.body, "aria-invalid=\"true\""));

  // Suspending oneself, or a user who is not there, is refused.
  EXPECT_EQ(mario
                .post_form(stack.url("/area/users/member"), {{"csrf", csrf},
                                                             {"user", mario_cf},
                                                             {"product", "prod-pagopa"},
                                                             {"action", "suspend"}})
                .status,
            409u);
  EXPECT_EQ(mario
                .post_form(stack.url("/area/users/member"), {{"csrf", csrf},
                                                             {"user", giulia_cf},
                                                             {"product", "prod-pagopa"},
                                                             {"action", "remove"}})
                .status,
            404u);
  EXPECT_EQ(mario
                .post_form(stack.url("/area/users/member"), {{"csrf", csrf},
                                                             {"user", luigi_cf},
                                                             {"product", "prod-pagopa"},
                                                             {"action", "explode"}})
                .status,
            400u);
}

TEST_F(users, aderisci_records_a_join_request_shown_as_richiesta_inviata) {
  auto overview = mario.get(stack.url("/area"));
  ASSERT_TRUE(contains(overview.body, "href=\"/area/join?product=prod-pn\"")) << overview.body;
  // The confirmation page (the dialog's no-script way) names the party and the product.
  auto question = mario.get(stack.url("/area/join?product=prod-pn"));
  ASSERT_EQ(question.status, 200u) << question.body;
  EXPECT_TRUE(contains(question.body, "<strong>Comune di Valdoria</strong>"));
  test::html_form join;
  for (const auto& f : parse_forms(question.body))
    if (f.id == "confirm") join = f;
  ASSERT_EQ(join.field("product"), "prod-pn") << question.body;
  EXPECT_EQ(join.action, "/area/join");
  auto sent = mario.submit(join, stack.port());
  ASSERT_EQ(sent.status, 303u) << sent.body;
  EXPECT_EQ(sent.header("Location"), "/area?done=join_requested");
  auto after = mario.get(stack.url("/area?done=join_requested"));
  EXPECT_TRUE(contains(after.body, "Richiesta inviata"));
  EXPECT_TRUE(contains(after.body, "Richiesta di adesione inviata"));
  EXPECT_FALSE(contains(after.body, "href=\"/area/join?product=prod-pn\""));
  // A second request for the same product is refused, its confirmation page too.
  EXPECT_EQ(mario.submit(join, stack.port()).status, 409u);
  EXPECT_EQ(mario.get(stack.url("/area/join?product=prod-pn")).status, 409u);
}

TEST_F(users, confirmation_pages_refuse_what_the_action_would_refuse_before_asking) {
  // Oneself, a stranger, an unknown action: the same answers as the POST, and nothing to confirm.
  EXPECT_EQ(mario.get(stack.url(action_link(mario_cf, "suspend"))).status, 409u);
  EXPECT_EQ(mario.get(stack.url(action_link(giulia_cf, "remove"))).status, 404u);
  EXPECT_EQ(mario.get(stack.url(action_link(luigi_cf, "explode"))).status, 400u);
  EXPECT_EQ(mario.get(stack.url("/area/join?product=prod-pagopa")).status, 409u);
  EXPECT_EQ(mario.get(stack.url("/area/join?product=nope")).status, 404u);
  // An operator is refused the confirmations as the actions.
  test::browser luigi;
  ASSERT_EQ(stack.login(luigi, luigi_cf).status, 303u);
  EXPECT_EQ(luigi.get(stack.url(action_link(mario_cf, "suspend"))).status, 403u);
  EXPECT_EQ(luigi.get(stack.url("/area/join?product=prod-pn")).status, 403u);
}

TEST_F(users, the_language_switch_of_a_forms_answer_leads_to_its_page_never_to_an_error) {
  // A refused action (409) and a form with errors (422) answer a POST: their language switch
  // leads to the page the form is on, which a GET can fetch.
  auto refused = mario.post_form(
      stack.url("/area/users/member"),
      {{"csrf", csrf}, {"user", mario_cf}, {"product", "prod-pagopa"}, {"action", "suspend"}});
  ASSERT_EQ(refused.status, 409u);
  EXPECT_TRUE(contains(refused.body, "id=\"language-switch\" href=\"/area/users?lang=en\""))
      << refused.body;
  auto bad = giulia_fields();
  bad[1].second = "NOT-A-CF";
  auto invalid = mario.post_form(stack.url("/area/users"), bad);
  ASSERT_EQ(invalid.status, 422u);
  EXPECT_TRUE(contains(invalid.body, "href=\"/area/users?lang=en\""));
  auto english = mario.get(stack.url("/area/users?lang=en"));
  EXPECT_EQ(english.status, 200u);
  EXPECT_TRUE(contains(english.body, "<html lang=\"en\">"));
  // After a change the notice survives the switch, in the other language.
  ASSERT_EQ(mario.post_form(stack.url("/area/users"), giulia_fields()).status, 303u);
  auto added = mario.get(stack.url("/area/users?lang=en&done=added"));
  EXPECT_TRUE(contains(added.body, "User added")) << added.body;
}

TEST_F(users, a_change_on_one_instance_reaches_the_others_at_once) {
  // A second gateway on the same Redis: Mario's session works there too (shared sessions).
  auto second = stack.another_instance();
  const auto on_second = [&](const std::string& target) {
    return "http://127.0.0.1:" + std::to_string(second->port()) + target;
  };
  ASSERT_FALSE(contains(mario.get(on_second("/area/users")).body, giulia_cf));

  ASSERT_EQ(mario.post_form(stack.url("/area/users"), giulia_fields()).status, 303u);
  // The first instance answered after its own reload; the second one hears the PUBLISH.
  EXPECT_TRUE(test::eventually([&] {
    return contains(mario.get(on_second("/area/users")).body, "Giulia Neri");
  })) << second->output();
  // And Giulia's login through the first instance reaches the product through the second.
  test::browser giulia;
  ASSERT_EQ(stack.login(giulia, giulia_cf).status, 303u);
  EXPECT_TRUE(contains(giulia.get(on_second("/area")).body, "Comune di Valdoria"));
}

TEST_F(users, directory_import_replaces_the_redis_directory_and_gateways_reload) {
  // The file now has Luigi suspended and Giulia as an operator.
  std::string next = directory;
  next = replace_all(std::move(next), "party_role: OPERATOR, product_role: operator}",
                     "party_role: OPERATOR, product_role: operator, status: suspended}");
  next +=
      "  - {user: NREGLI90D45L219R, party: comune, product: prod-pagopa, party_role: OPERATOR, "
      "product_role: operator}\n";
  const auto file = stack.files / "next-directory.yaml";
  write_file(file, next);
  const std::string config = stack.varco->config_path().string();
  auto [status, out] =
      run_varco("directory import --config " + config + " --file " + file.string());
  ASSERT_EQ(status, 0) << out;
  EXPECT_TRUE(contains(out, "1 parties, 2 users, 3 memberships")) << out;
  EXPECT_TRUE(test::eventually([&] {
    const auto page = mario.get(stack.url("/area/users")).body;
    return contains(page, giulia_cf) && contains(page, "Sospeso");
  })) << stack.varco->output();

  // A broken file is refused whole, with file:line, and nothing is written.
  const auto broken = stack.files / "broken.yaml";
  write_file(broken, "memberships:\n  - {user: ABC, party: nowhere}\n");
  auto [bad_status, bad_out] =
      run_varco("directory import --config " + config + " --file " + broken.string());
  EXPECT_NE(bad_status, 0);
  EXPECT_TRUE(contains(bad_out, "broken.yaml:2:")) << bad_out;
  EXPECT_TRUE(contains(bad_out, "nothing imported")) << bad_out;
  EXPECT_TRUE(contains(mario.get(stack.url("/area/users")).body, giulia_cf));
}

TEST(users_on_the_file_directory, changes_are_refused_and_the_page_says_why) {
  saml_stack stack{users_settings("file")};
  test::browser mario;
  ASSERT_EQ(stack.login(mario, mario_cf).status, 303u);
  auto page = mario.get(stack.url("/area/users"));
  ASSERT_EQ(page.status, 200u);
  EXPECT_TRUE(contains(page.body, "Luigi Verdi"));
  EXPECT_TRUE(form_with_action(page.body, "/area/users").action.empty());
  EXPECT_TRUE(contains(page.body, "gestito centralmente"));
  auto answer = mario.post_form(stack.url("/area/users"), {{"csrf", csrf_of(page.body)},
                                                           {"fiscal_number", giulia_cf},
                                                           {"name", "Giulia"},
                                                           {"family_name", "Neri"},
                                                           {"email", "giulia.neri@example.it"},
                                                           {"product", "prod-pagopa"},
                                                           {"role", "operator"}});
  EXPECT_EQ(answer.status, 409u);
}

}  // namespace
}  // namespace varco::integration

namespace varco::integration {
namespace {

// English through a real login: ?lang=en renders English and remembers it in a cookie, the
// following pages stay English, ?lang=it goes back; <html lang> and Content-Language follow.
TEST_F(users, the_area_switches_to_english_and_back) {
  auto english = mario.get(stack.url("/area?lang=en"));
  ASSERT_EQ(english.status, 200u);
  EXPECT_TRUE(contains(english.body, "<html lang=\"en\">"));
  EXPECT_TRUE(contains(english.body, "<h1>Overview</h1>"));
  EXPECT_EQ(english.header("Content-Language"), "en");
  EXPECT_TRUE(contains(english.header("Set-Cookie"), "varco_lang=en"));
  ASSERT_EQ(mario.cookie("varco_lang"), "en");

  auto users_page = mario.get(stack.url("/area/users"));
  EXPECT_TRUE(contains(users_page.body, "<h1>Users</h1>"));
  EXPECT_TRUE(contains(users_page.body, "Operator"));
  EXPECT_FALSE(contains(users_page.body, "Operatore"));
  // Field errors come back in English too.
  auto bad = giulia_fields();
  bad[4].second = "nope";
  auto answer = mario.post_form(stack.url("/area/users"), bad);
  EXPECT_EQ(answer.status, 422u);
  EXPECT_TRUE(contains(answer.body, "Enter a valid e-mail address"));

  auto italian = mario.get(stack.url("/area/users?lang=it"));
  EXPECT_TRUE(contains(italian.body, "<html lang=\"it\">"));
  EXPECT_TRUE(contains(italian.body, "<h1>Utenti</h1>"));
  EXPECT_EQ(mario.cookie("varco_lang"), "it");
  // An unknown language changes nothing.
  EXPECT_TRUE(contains(mario.get(stack.url("/area?lang=de")).body, "<h1>Panoramica</h1>"));
}

}  // namespace
}  // namespace varco::integration
