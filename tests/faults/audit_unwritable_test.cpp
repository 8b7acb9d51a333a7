// The audit log cannot be written where the SAML ACS runs. A login whose record is not durable
// must not exist (docs/audit.md): the ACS fails closed with 503 audit_unavailable, the reason code
// is logged, no session cookie is set, and everything else the gateway does keeps working. Once
// the directory takes writes again, logins work again without a restart.
//
// The fault: the instance's audit directory holds nothing yet (the log opens on first use), and
// the path of the segment its first record would create is a directory, so creating the segment
// fails (EEXIST) as a write the disk refuses would. This works as any user, root included, where
// a read-only directory (root ignores it), chattr or a small tmpfs may not be available.
#include "tests/faults/store_stack.hpp"
#include "tests/support/eventually.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <vector>

namespace varco::faults {
namespace {

namespace fs = std::filesystem;

// audit-YYYY-MM.jsonl for this month and the next (UTC, as the log names its segments): a test
// running across a month boundary still finds the path taken.
std::vector<fs::path> first_segment_paths(const fs::path& audit_dir) {
  std::vector<fs::path> out;
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  int year = utc.tm_year + 1900;
  int month = utc.tm_mon + 1;
  for (int i = 0; i < 2; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "audit-%04d-%02d.jsonl", year, month);
    out.push_back(audit_dir / name);
    if (++month == 13) {
      month = 1;
      ++year;
    }
  }
  return out;
}

TEST(audit_faults, an_unwritable_audit_log_fails_the_acs_closed_and_the_gateway_keeps_serving) {
  store_stack stack;
  const auto port = stack.varco->port();
  const fs::path audit_dir = stack.files / "audit-1";  // the first instance's, where the ACS runs
  ASSERT_TRUE(fs::is_empty(audit_dir)) << "the log was opened before the test broke it";
  const auto blocked = first_segment_paths(audit_dir);
  for (const auto& path : blocked) fs::create_directory(path);

  // The login starts on a second instance (its own audit directory works, so its AuthnRequest is
  // recorded); the IdP posts the Response to the first instance's ACS.
  auto other = stack.another_instance();
  ASSERT_TRUE(store_stack::store_up_everywhere(port));
  ASSERT_TRUE(store_stack::store_up_everywhere(other->port()));
  browser user;
  const auto acs = stack.login(user, other->port());
  EXPECT_EQ(acs.status, 503u) << acs.body;
  EXPECT_NE(acs.body.find("audit_unavailable"), std::string::npos) << acs.body;
  EXPECT_FALSE(user.cookie(session_cookie)) << "a session cookie for a login not audited";
  EXPECT_TRUE(eventually(
      [&] {
        const auto out = stack.varco->output();
        return out.find("authn_response record not made durable") != std::string::npos &&
               out.find("reason=audit_unavailable") != std::string::npos;
      },
      10s, 20ms))
      << stack.varco->output();

  // The gateway keeps serving: health, and a product for a session made elsewhere.
  EXPECT_EQ(http_get(port, "/healthz").status, 200u);
  const auto cookie = stack.create_session();
  const auto proxied = http_get(port, "/pagopa-collaudo/x", api_cookie(cookie));
  EXPECT_EQ(proxied.status, 200u) << proxied.body;
  EXPECT_EQ(echoed_header(proxied, "X-Varco-User-Fiscal-Number"), mario_cf);
  // A login started here is refused closed as well: its AuthnRequest cannot be recorded.
  browser second;
  const auto start =
      second.get("http://127.0.0.1:" + std::to_string(port) + stack.login_start_target());
  EXPECT_EQ(start.status, 503u) << start.body;
  EXPECT_NE(start.body.find("audit_unavailable"), std::string::npos);
  EXPECT_TRUE(stack.varco->running());

  // Writable again: the next login is recorded and accepted, no restart needed.
  for (const auto& path : blocked) fs::remove(path);
  browser again;
  const auto recovered = stack.login(again, port);
  EXPECT_EQ(recovered.status, 303u) << recovered.body << stack.varco->output();
  EXPECT_TRUE(again.cookie(session_cookie));
  EXPECT_FALSE(fs::is_empty(audit_dir));
}

}  // namespace
}  // namespace varco::faults
