// Bytes per login on disk, in the open (plain) segment and once sealed, and the time sealing
// takes, with the records a real SPID login writes (bench/RESULTS.md "Audit log size").
//
// testdata/spid_login_records.json holds the fields of the authn_request and authn_response
// records of one login through the demo SPID IdP (tests/idp), as the gateway wrote them. Each
// generated login gets its own IDs, times, subject, client address and — the part that does not
// compress — fresh random signature and digest values, as a real IdP's would be.
#include "audit_fixture.hpp"
#include "base/base64.hpp"

#include <boost/json/parse.hpp>

#include <cstdlib>
#include <iostream>
#include <random>
#include <sstream>

namespace varco::saml::audit::test {
namespace {

class spid_logins {
 public:
  spid_logins() {
    const auto root =
        boost::json::parse(read_file(VARCO_AUDIT_TESTDATA "/spid_login_records.json"));
    request_ = root.at("authn_request").as_object();
    response_ = root.at("authn_response").as_object();
  }

  // The two records of the next login, at `now`.
  std::vector<append_request> next(audit_time now) {
    const std::string request_id = "_" + hex(16);
    const std::string response_id = "_" + hex(20);
    const std::string subject = "TINIT-" + letters(6) + digits(2) + letters(1) + digits(2) +
                                letters(1) + digits(3) + letters(1);
    const std::string client =
        std::to_string(random_() % 223 + 1) + "." + std::to_string(random_() % 256) + "." +
        std::to_string(random_() % 256) + "." + std::to_string(random_() % 254 + 1);
    const std::string issued = format_time(now);
    const std::vector<std::pair<std::string, std::string>> replaced = {
        {"_c215370a785fad82d162e2f6c8d9d592", request_id},
        {"_6dde350658fcadf4c62bd240121a30b705c14a00", response_id},
        {"_c1a022d95cd8cfa4d7d4794c8b9d3eb88d1437f1", "_" + hex(20)},
        {"_c2fd9cfde4ea995abe0f333e5a53e055793d3a3a", "_" + hex(20)},
        {"_73f4e8c4327c7074e9ad1ceb9f9b96b8419c5c71", "_" + hex(20)},
        {"2026-12-06T11:10:00.154Z", issued},
        {"2026-12-06T11:10:00.170Z", issued},
        {"TINIT-RSSMRA80A01H501U", subject},
    };
    boost::json::object request = request_;
    boost::json::object response = response_;
    for (auto* record : {&request, &response}) {
      for (auto& [key, value] : *record) {
        if (!value.is_string()) continue;
        std::string text(value.as_string());
        for (const auto& [from, to] : replaced) replace_all(text, from, to);
        if (key == "client") text = client;
        if (key == "xml") text = fresh_signatures(std::move(text));
        value = text;
      }
    }
    request["issue_instant"] = now.time_since_epoch().count();
    response["request_issue_instant"] = now.time_since_epoch().count();
    return {{"authn_request", std::move(request)}, {"authn_response", std::move(response)}};
  }

 private:
  static void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  }
  std::string bytes(std::size_t n) {
    std::string out(n, '\0');
    for (auto& c : out) c = static_cast<char>(random_() & 0xff);
    return out;
  }
  std::string hex(std::size_t n) {
    static constexpr char digits_of[] = "0123456789abcdef";
    std::string out;
    for (const char c : bytes(n)) {
      out += digits_of[(static_cast<unsigned char>(c) >> 4) & 0xf];
      out += digits_of[static_cast<unsigned char>(c) & 0xf];
    }
    return out;
  }
  std::string letters(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += static_cast<char>('A' + random_() % 26);
    return out;
  }
  std::string digits(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += static_cast<char>('0' + random_() % 10);
    return out;
  }
  // New values in every <ds:DigestValue> (SHA-256) and <ds:SignatureValue> (RSA-2048, wrapped
  // at 64 columns as the IdP writes it).
  std::string fresh_signatures(std::string xml) {
    for (const auto& [tag, size] : {std::pair<std::string, std::size_t>{"DigestValue", 32},
                                    std::pair<std::string, std::size_t>{"SignatureValue", 256}}) {
      const std::string open = "<ds:" + tag + ">";
      for (auto at = xml.find(open); at != std::string::npos; at = xml.find(open, at + 1)) {
        const auto from = at + open.size();
        const auto to = xml.find('<', from);
        std::string value = base::base64_encode(bytes(size));
        for (std::size_t line = 64; line < value.size(); line += 65) value.insert(line, "\n");
        xml.replace(from, to - from, value);
      }
    }
    return xml;
  }

  boost::json::object request_;
  boost::json::object response_;
  std::mt19937_64 random_{20261206};
};

// A measurement may ask for a full 64 MiB segment (VARCO_AUDIT_SIZE_LOGINS=7000) or another
// zstd level (VARCO_AUDIT_SEAL_LEVEL); the unit test writes enough logins to be realistic.
std::size_t from_environment(const char* name, std::size_t fallback) {
  if (const char* text = std::getenv(name); text && *text) return std::strtoul(text, nullptr, 10);
  return fallback;
}

TEST_F(audit_test, bytes_per_login_on_disk_plain_and_sealed_are_reported) {
  const std::size_t logins = from_environment("VARCO_AUDIT_SIZE_LOGINS", 1000);
  segment_options options;
  options.seal_level = static_cast<int>(
      from_environment("VARCO_AUDIT_SEAL_LEVEL", static_cast<std::size_t>(options.seal_level)));
  auto log = open_log(months{24}, options);
  ASSERT_TRUE(log);
  spid_logins generate;
  std::mt19937 pace(7);
  audit_time now = sys_days{2026y / November / 28} + 9h;
  std::vector<append_request> batch;
  for (std::size_t i = 0; i < logins; ++i) {
    now += milliseconds(10 + pace() % 190);
    clock.set(now);
    for (auto& request : generate.next(now)) batch.push_back(std::move(request));
    if (batch.size() >= 100 || i + 1 == logins) {
      for (const auto& result : log->append_batch(batch)) ASSERT_TRUE(result);
      batch.clear();
    }
  }
  // One segment of logins (rotation at 64 MiB holds ~7000 of them); the plain size per login is
  // what the log took before sealing existed.
  const std::string name = "audit-2026-11.jsonl";
  ASSERT_TRUE(fs::exists(segment(name)));
  const auto plain_bytes = fs::file_size(segment(name));

  // A new month leaves the segment; the sealer compresses it off the writer's thread.
  clock.set(sys_days{2026y / December / 1} + 9h);
  const auto start = steady_clock::now();
  ASSERT_TRUE(append(*log, sample_login(0)));
  log->wait_until_sealed();
  const double seconds = duration<double>(steady_clock::now() - start).count();
  ASSERT_TRUE(fs::exists(sealed(name))) << log->sealing_error();
  const auto sealed_bytes = fs::file_size(sealed(name));

  const double plain_per_login = double(plain_bytes) / double(logins);
  const double sealed_per_login = double(sealed_bytes) / double(logins);
  std::cout << "[ audit size ] " << logins << " SPID logins (2 records each): plain " << plain_bytes
            << " bytes = " << plain_per_login << " bytes/login; sealed (zstd level "
            << options.seal_level << ") " << sealed_bytes << " bytes = " << sealed_per_login
            << " bytes/login (ratio " << double(plain_bytes) / double(sealed_bytes)
            << "); sealing took " << seconds << " s\n";
  EXPECT_GT(plain_per_login, 8000.0);  // the records are as large as real ones
  EXPECT_LE(sealed_per_login, 2048.0);
  const auto verify_start = steady_clock::now();
  const auto report = verify_audit(dir.path());
  std::cout << "[ audit size ] verify (decompressing the sealed segment) took "
            << duration<double>(steady_clock::now() - verify_start).count() << " s\n";
  EXPECT_TRUE(report.ok) << report.first_error;
  EXPECT_EQ(report.records, 2 * logins + 3);  // two segment headers and one more login
}

}  // namespace
}  // namespace varco::saml::audit::test
