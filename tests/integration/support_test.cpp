// Assistenza end to end through the real varco binary: a SPID login at the pysaml2 IdP, the form,
// the request stored in a real Redis stream before the 303, and the forwarder delivering it to a
// real webhook (demo/support_webhook.py, a separate Python process) — retried after a 500,
// dead-lettered after max attempts. Also: CSRF, invalid fields keeping the input, Redis failing
// (503, nothing confirmed), the memory store's mailto page and the login page's mailto link.
#include "tests/integration/redis_client.hpp"
#include "tests/integration/saml_stack.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/redis_server.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <csignal>
#include <fcntl.h>
#include <random>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

namespace varco::integration {
namespace {

using namespace std::chrono_literals;

// --- the webhook: demo/support_webhook.py in its own process -----------------------------------

class webhook_receiver {
 public:
  explicit webhook_receiver(int fail_first = 0, int fail_status = 500) {
    const std::string script = (idp_process::source_dir() / "demo/support_webhook.py").string();
    const std::string ready = (dir_ / "ready.json").string();
    const std::string log = (dir_ / "webhook.log").string();
    const std::string fail = std::to_string(fail_first);
    const std::string status = std::to_string(fail_status);
    pid_ = spawn_process("/usr/bin/python3",
                         {"python3", script, "--port", "0", "--ready-file", ready, "--fail-first",
                          fail, "--fail-status", status},
                         log, log);
    if (!eventually([&] { return !read_file(ready).empty(); }, 10s, 10ms))
      throw std::runtime_error("webhook receiver did not start:\n" + read_file(log));
    port_ = static_cast<std::uint16_t>(
        boost::json::parse(read_file(ready)).as_object().at("port").to_number<int>());
  }
  ~webhook_receiver() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  webhook_receiver(const webhook_receiver&) = delete;
  webhook_receiver& operator=(const webhook_receiver&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/tickets"; }
  boost::json::array received() const {
    auto answer = http_get(port_, "/received");
    return boost::json::parse(answer.body).as_array();
  }

 private:
  temp_dir dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// A stream name of its own per test: the shared Redis is shared by parallel tests.
std::string unique_stream() {
  std::random_device random;
  return "varco-test:support:" + std::to_string(random()) + std::to_string(::getpid());
}

struct support_options {
  std::string webhook_url;  // "" = no webhook section
  unsigned max_attempts = 3;
  std::string store = "redis";
  std::uint16_t redis_port = 0;
  std::string directory;  // "" = the stack's own
};

std::string support_section(const std::string& stream, const support_options& o) {
  std::string yaml = "support:\n  email: assistenza@ente-di-prova.it\n  stream: " + stream +
                     "\n  dead_letter_stream: " + stream + ":dead\n  claim_idle: 5s\n";
  if (!o.webhook_url.empty()) {
    yaml += "  webhook:\n    url: " + o.webhook_url +
            "\n    timeout: 2s\n    max_attempts: " + std::to_string(o.max_attempts) +
            "\n    backoff_initial: 100ms\n    backoff_max: 400ms\n";
  }
  return yaml;
}

std::string csrf_of(const std::string& html) {
  for (const auto& f : parse_forms(html))
    if (f.action == "/logout") return f.field("csrf");
  return {};
}

class support : public ::testing::Test {
 protected:
  void start(support_options o = {}) {
    saml_settings s;
    s.store = o.store;
    s.redis_port = o.redis_port;
    s.directory = o.directory;
    s.extra_config = support_section(stream, o);
    stack = std::make_unique<saml_stack>(s);
    auto acs = stack->login(b, mario_cf);
    ASSERT_EQ(acs.status, 303u) << acs.body << stack->varco->output();
    auto page = b.get(stack->url("/area/support"));
    ASSERT_EQ(page.status, 200u) << page.body;
    csrf = csrf_of(page.body);
    ASSERT_FALSE(csrf.empty());
    form_page = page.body;
  }
  http_response submit(std::vector<std::pair<std::string, std::string>> fields) {
    return b.post_form(stack->url("/area/support"), fields);
  }
  std::vector<std::pair<std::string, std::string>> valid_fields() const {
    return {{"csrf", csrf},
            {"email", "mario.rossi@example.org"},
            {"subject", "Non riesco a entrare in pagoPA"},
            {"message", "Buongiorno,\nal collaudo compare un errore. Grazie."},
            {"product", "prod-pagopa"}};
  }
  static std::string ticket_of(const http_response& answer) {
    const std::string location = answer.header("Location");
    const std::string prefix = "/area/support/sent?ticket=";
    return location.starts_with(prefix) ? location.substr(prefix.size()) : std::string();
  }
  std::uint16_t redis_port() const { return redis_server::shared().port(); }

  std::string stream = unique_stream();
  std::unique_ptr<saml_stack> stack;
  test::browser b;
  std::string csrf;
  std::string form_page;
};

TEST_F(support, the_form_is_prefilled_and_offers_the_partys_products) {
  start();
  const auto forms = parse_forms(form_page);
  const auto it = std::find_if(forms.begin(), forms.end(),
                               [](const html_form& f) { return f.action == "/area/support"; });
  ASSERT_NE(it, forms.end()) << form_page;
  EXPECT_EQ(it->method, "post");
  // No work e-mail in the directory: the SAML email attribute.
  EXPECT_EQ(it->field("email"), "mario.rossi@example.org");
  EXPECT_EQ(it->field("csrf"), csrf);
  EXPECT_NE(form_page.find("<option value=\"prod-pagopa\""), std::string::npos);
  EXPECT_NE(form_page.find("mailto:assistenza@ente-di-prova.it"), std::string::npos);
}

TEST_F(support, the_form_is_prefilled_with_the_work_email_at_the_party) {
  support_options o;
  o.directory = R"(parties:
  - {id: 9f1c2a3e-0001-4a6b-9c1d-000000000001, name: Comune di Valdoria, type: PA, fiscal_code: "80012340123"}
users:
  - fiscal_number: RSSMRA80A01H501U
    name: Mario
    family_name: Rossi
    work_emails: {9f1c2a3e-0001-4a6b-9c1d-000000000001: m.rossi@comune.valdoria.example}
memberships:
  - {user: RSSMRA80A01H501U, party: 9f1c2a3e-0001-4a6b-9c1d-000000000001, product: prod-pagopa, party_role: MANAGER, product_role: admin}
)";
  start(o);
  const auto forms = parse_forms(form_page);
  const auto it = std::find_if(forms.begin(), forms.end(),
                               [](const html_form& f) { return f.action == "/area/support"; });
  ASSERT_NE(it, forms.end()) << form_page;
  EXPECT_EQ(it->field("email"), "m.rossi@comune.valdoria.example");  // not the SAML attribute
}

TEST_F(support, the_request_is_in_the_stream_before_the_303) {
  start();  // no webhook: nothing consumes the stream
  auto answer = submit(valid_fields());
  ASSERT_EQ(answer.status, 303u) << answer.body;
  const std::string ticket = ticket_of(answer);
  ASSERT_FALSE(ticket.empty()) << answer.header("Location");
  // Read right after the 303: the entry was written before the answer was sent.
  redis_client redis(redis_port());
  const auto fields = redis.entry(stream, ticket);
  ASSERT_FALSE(fields.empty()) << "no entry " << ticket << " in " << stream;
  EXPECT_EQ(fields.at("fiscal_number"), mario_cf);
  EXPECT_EQ(fields.at("user_name"), "Mario Rossi");
  EXPECT_EQ(fields.at("email"), "mario.rossi@example.org");
  EXPECT_EQ(fields.at("subject"), "Non riesco a entrare in pagoPA");
  EXPECT_EQ(fields.at("message"), "Buongiorno,\nal collaudo compare un errore. Grazie.");
  EXPECT_EQ(fields.at("product"), "prod-pagopa");
  EXPECT_EQ(fields.at("party_id"), "9f1c2a3e-0001-4a6b-9c1d-000000000001");
  EXPECT_EQ(fields.at("party_name"), "Comune di Valdoria");
  EXPECT_EQ(fields.at("request_id"), answer.header("X-Request-Id"));
  EXPECT_FALSE(fields.at("created_at").empty());

  auto sent = b.get(stack->url(answer.header("Location")));
  ASSERT_EQ(sent.status, 200u);
  EXPECT_NE(sent.body.find("Richiesta inviata"), std::string::npos);
  EXPECT_NE(sent.body.find(ticket), std::string::npos);
  EXPECT_EQ(b.get(stack->url("/area/support/sent?ticket=<b>")).status, 400u);
}

TEST_F(support, the_forwarder_delivers_it_to_the_webhook) {
  webhook_receiver webhook;
  start({webhook.url()});
  auto answer = submit(valid_fields());
  ASSERT_EQ(answer.status, 303u) << answer.body;
  const std::string ticket = ticket_of(answer);
  ASSERT_TRUE(eventually([&] { return !webhook.received().empty(); }, 10s, 20ms))
      << stack->varco->output();
  const auto posts = webhook.received();
  ASSERT_EQ(posts.size(), 1u);
  const auto& post = posts[0].as_object();
  EXPECT_EQ(post.at("path").as_string(), "/tickets");
  EXPECT_EQ(post.at("content_type").as_string(), "application/json");
  EXPECT_EQ(post.at("idempotency_key").as_string(), ticket);
  const auto& body = post.at("body").as_object();
  EXPECT_EQ(body.at("ticket").as_string(), ticket);
  EXPECT_EQ(body.at("fiscal_number").as_string(), mario_cf);
  EXPECT_EQ(body.at("subject").as_string(), "Non riesco a entrare in pagoPA");
  EXPECT_EQ(body.at("attempt").as_int64(), 1);
  // Acknowledged and removed: nothing pending, nothing left to deliver.
  redis_client redis(redis_port());
  EXPECT_TRUE(eventually([&] { return redis.integer({"XLEN", stream}) == 0; }, 5s, 20ms));
  EXPECT_EQ(redis.integer({"XLEN", stream + ":dead"}), 0);
  EXPECT_TRUE(eventually(
      [&] {
        return http_get(stack->port(), "/metrics")
                   .body.find("varco_support_webhook_total{outcome=\"delivered\"} 1") !=
               std::string::npos;
      },
      5s, 20ms));
}

TEST_F(support, a_500_is_retried_then_delivered) {
  webhook_receiver webhook(1);  // the first post gets a 500
  start({webhook.url()});
  auto answer = submit(valid_fields());
  ASSERT_EQ(answer.status, 303u) << answer.body;
  const std::string ticket = ticket_of(answer);
  ASSERT_TRUE(eventually([&] { return webhook.received().size() >= 2; }, 10s, 20ms))
      << stack->varco->output();
  const auto posts = webhook.received();
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].as_object().at("status").as_int64(), 500);
  EXPECT_EQ(posts[1].as_object().at("status").as_int64(), 200);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& body = posts[i].as_object().at("body").as_object();
    EXPECT_EQ(body.at("ticket").as_string(), ticket);
    EXPECT_EQ(body.at("attempt").as_int64(), static_cast<std::int64_t>(i + 1));
  }
  redis_client redis(redis_port());
  EXPECT_TRUE(eventually([&] { return redis.integer({"XLEN", stream}) == 0; }, 5s, 20ms));
  EXPECT_EQ(redis.integer({"XLEN", stream + ":dead"}), 0);
  EXPECT_NE(stack->varco->output().find("reason=webhook_server_error"), std::string::npos);
}

TEST_F(support, after_max_attempts_it_goes_to_the_dead_letter_stream) {
  webhook_receiver webhook(100);  // always 500
  start({webhook.url(), 3});
  auto answer = submit(valid_fields());
  ASSERT_EQ(answer.status, 303u) << answer.body;
  const std::string ticket = ticket_of(answer);
  redis_client redis(redis_port());
  ASSERT_TRUE(eventually(
      [&] {
        return redis.integer({"XLEN", stream + ":dead"}) == 1;
      },
      10s, 20ms))
      << stack->varco->output();
  auto dead = redis.command({"XRANGE", stream + ":dead", "-", "+"});
  ASSERT_EQ(dead->elements, 1u);
  const std::string dead_id = dead->element[0]->element[0]->str;
  const auto fields = redis.entry(stream + ":dead", dead_id);
  EXPECT_EQ(fields.at("ticket"), ticket);
  EXPECT_EQ(fields.at("reason"), "webhook_server_error");
  EXPECT_EQ(fields.at("attempts"), "3");
  EXPECT_EQ(fields.at("fiscal_number"), mario_cf);
  EXPECT_EQ(webhook.received().size(), 3u);  // exactly max_attempts, then no more
  EXPECT_TRUE(eventually([&] { return redis.integer({"XLEN", stream}) == 0; }, 5s, 20ms));
  EXPECT_NE(stack->varco->output().find("reason=webhook_server_error"), std::string::npos);
}

TEST_F(support, a_4xx_refusal_is_dead_lettered_without_retrying) {
  webhook_receiver webhook(100, 400);  // the webhook rejects the document itself
  start({webhook.url(), 5});
  auto answer = submit(valid_fields());
  ASSERT_EQ(answer.status, 303u) << answer.body;
  redis_client redis(redis_port());
  ASSERT_TRUE(eventually(
      [&] {
        return redis.integer({"XLEN", stream + ":dead"}) == 1;
      },
      10s, 20ms))
      << stack->varco->output();
  auto dead = redis.command({"XRANGE", stream + ":dead", "-", "+"});
  const auto fields = redis.entry(stream + ":dead", dead->element[0]->element[0]->str);
  EXPECT_EQ(fields.at("ticket"), ticket_of(answer));
  EXPECT_EQ(fields.at("reason"), "webhook_refused");
  EXPECT_EQ(fields.at("attempts"), "1");
  EXPECT_EQ(webhook.received().size(), 1u);
}

TEST_F(support, without_the_csrf_token_nothing_is_stored) {
  start();
  auto fields = valid_fields();
  fields.erase(fields.begin());  // csrf
  EXPECT_EQ(submit(fields).status, 403u);
  fields.insert(fields.begin(), {"csrf", "not-the-token"});
  EXPECT_EQ(submit(fields).status, 403u);
  redis_client redis(redis_port());
  EXPECT_EQ(redis.integer({"XLEN", stream}), 0);
}

TEST_F(support, invalid_fields_come_back_with_the_input_and_each_error) {
  start();
  auto fields = valid_fields();
  fields[1].second = "mario.rossi";      // email
  fields[4].second = "prod-non-nostro";  // product
  auto answer = submit(fields);
  EXPECT_EQ(answer.status, 422u);
  EXPECT_EQ(answer.header("Location"), "");
  EXPECT_NE(answer.body.find("value=\"mario.rossi\""), std::string::npos);
  EXPECT_NE(answer.body.find("Non riesco a entrare in pagoPA"), std::string::npos);
  EXPECT_NE(answer.body.find("al collaudo compare un errore"), std::string::npos);
  EXPECT_NE(answer.body.find("id=\"support-email-error\""), std::string::npos);
  EXPECT_NE(answer.body.find("id=\"support-product-error\""), std::string::npos);
  EXPECT_EQ(answer.body.find("id=\"support-subject-error\""), std::string::npos);
  redis_client redis(redis_port());
  EXPECT_EQ(redis.integer({"XLEN", stream}), 0);
}

TEST_F(support, a_redis_error_is_a_503_that_keeps_the_input_and_confirms_nothing) {
  start();
  redis_client redis(redis_port());
  redis.command({"SET", stream, "not a stream"});  // XADD now fails with WRONGTYPE
  auto answer = submit(valid_fields());
  EXPECT_EQ(answer.status, 503u);
  EXPECT_EQ(answer.header("Location"), "");
  EXPECT_NE(answer.body.find("id=\"support-unavailable\""), std::string::npos);
  EXPECT_NE(answer.body.find("al collaudo compare un errore"), std::string::npos);
  EXPECT_NE(stack->varco->output().find("reason=support_store_unavailable"), std::string::npos);
  redis.command({"DEL", stream});
}

TEST_F(support, redis_down_is_a_503_and_no_confirmation) {
  redis_server own;
  start({"", 3, "redis", own.port()});
  own.stop();
  auto answer = submit(valid_fields());
  EXPECT_EQ(answer.status, 503u) << answer.body;
  EXPECT_EQ(answer.header("Location"), "");
}

TEST_F(support, the_memory_store_offers_the_mailto_link_instead_of_a_form) {
  start({"", 3, "memory"});
  EXPECT_EQ(form_page.find("id=\"support-form\""), std::string::npos);
  EXPECT_NE(form_page.find("id=\"support-mailto\""), std::string::npos);
  EXPECT_NE(form_page.find("mailto:assistenza@ente-di-prova.it"), std::string::npos);
  EXPECT_EQ(submit(valid_fields()).status, 409u);
}

TEST_F(support, logged_out_users_get_the_mailto_link_and_the_form_needs_a_login) {
  start();
  test::browser anonymous;
  auto login = anonymous.get(stack->url("/login"));
  ASSERT_EQ(login.status, 200u);
  EXPECT_NE(login.body.find("href=\"mailto:assistenza@ente-di-prova.it\""), std::string::npos);
  auto form = anonymous.get(stack->url("/area/support"));
  EXPECT_EQ(form.status, 302u);
  EXPECT_EQ(form.header("Location"), "/login?return=%2Farea%2Fsupport");
}

// --- forwarders without a login: varco processes sharing one Redis stream ---------------------

std::string forwarder_config(const std::string& stream, const std::string& webhook_url,
                             const std::string& claim_idle, std::uint16_t redis_port) {
  return R"(server:
  listeners: [{address: 127.0.0.1, port: 0}]
  workers: 1
  plain_http: true
sessions:
  store: redis
  redis: {host: 127.0.0.1, port: )" +
         std::to_string(redis_port) + R"(}
jwt: {key_file: jwt.pem, kid: forwarder-test}
directory: {file: directory.yaml}
support:
  email: assistenza@ente-di-prova.it
  stream: )" +
         stream + R"(
  dead_letter_stream: )" +
         stream + R"(:dead
  claim_idle: )" +
         claim_idle + R"(
  webhook: {url: ')" +
         webhook_url + R"(', timeout: 2s, max_attempts: 3, backoff_initial: 100ms}
products:
  - id: p
    title: P
    path_prefix: /p
    environments:
      - {id: collaudo, upstreams: ['http://127.0.0.1:9']}
)";
}

constexpr const char* empty_directory = "parties: []\nmemberships: []\n";

std::unique_ptr<varco_process> start_forwarder(const std::string& config) {
  return std::make_unique<varco_process>(
      varco_process::options{config, empty_directory, VARCO_BIN_DEFAULT});
}

std::string add_request(redis_client& redis, const std::string& stream, int n) {
  auto reply = redis.command({"XADD", stream, "*", "email", "a@b.it", "subject",
                              "Richiesta " + std::to_string(n), "message", "Testo", "fiscal_number",
                              mario_cf});
  return reply->str;
}

TEST(support_forwarders, two_instances_deliver_each_request_exactly_once) {
  webhook_receiver webhook;
  const std::string stream = unique_stream();
  redis_server own;  // its CLIENT LIST shows only these two forwarders
  redis_client redis(own.port());
  const auto config = forwarder_config(stream, webhook.url(), "5s", own.port());
  auto first = start_forwarder(config);
  auto second = start_forwarder(config);
  // Both are waiting in XREADGROUP before any request arrives.
  ASSERT_TRUE(eventually(
      [&] {
        const std::string clients = redis.command({"CLIENT", "LIST"})->str;
        std::size_t reading = 0;
        for (auto at = clients.find("cmd=xreadgroup"); at != std::string::npos;
             at = clients.find("cmd=xreadgroup", at + 1))
          ++reading;
        return reading == 2;
      },
      10s, 20ms))
      << first->output() << second->output();
  std::set<std::string> added;
  for (int i = 0; i < 20; ++i) added.insert(add_request(redis, stream, i));
  ASSERT_TRUE(eventually([&] { return webhook.received().size() >= 20; }, 15s, 20ms))
      << first->output() << second->output();
  // Give a duplicate the time to show up: the stream empties only once every entry is acked.
  ASSERT_TRUE(eventually([&] { return redis.integer({"XLEN", stream}) == 0; }, 5s, 20ms));
  const auto posts = webhook.received();
  std::set<std::string> tickets;
  for (const auto& post : posts)
    tickets.insert(std::string(post.as_object().at("body").as_object().at("ticket").as_string()));
  EXPECT_EQ(posts.size(), 20u);
  EXPECT_EQ(tickets, added);
  EXPECT_EQ(redis.integer({"XLEN", stream + ":dead"}), 0);
  // Both took part: each blocked XREADGROUP is woken in turn as entries arrive.
  EXPECT_NE(first->output().find("delivered"), std::string::npos);
  EXPECT_NE(second->output().find("delivered"), std::string::npos);
}

TEST(support_forwarders, a_request_left_pending_by_a_stopped_instance_is_taken_over) {
  webhook_receiver webhook;
  const std::string stream = unique_stream();
  redis_client redis(redis_server::shared().port());
  // An instance that read the entry and died before delivering it.
  redis.command({"XGROUP", "CREATE", stream, "varco-webhook", "0", "MKSTREAM"});
  const std::string ticket = add_request(redis, stream, 1);
  redis.command({"XREADGROUP", "GROUP", "varco-webhook", "stopped-instance", "COUNT", "1",
                 "STREAMS", stream, ">"});
  ASSERT_EQ(redis.command({"XPENDING", stream, "varco-webhook"})->element[0]->integer, 1);

  auto forwarder =
      start_forwarder(forwarder_config(stream, webhook.url(), "3s", redis_server::shared().port()));
  ASSERT_TRUE(eventually([&] { return !webhook.received().empty(); }, 15s, 20ms))
      << forwarder->output();
  const auto posts = webhook.received();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].as_object().at("body").as_object().at("ticket").as_string(), ticket);
  EXPECT_TRUE(eventually([&] { return redis.integer({"XLEN", stream}) == 0; }, 5s, 20ms));
  EXPECT_NE(forwarder->output().find("reason=support_claimed"), std::string::npos);
}

}  // namespace
}  // namespace varco::integration
