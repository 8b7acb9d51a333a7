#include "saml/audit/record_codec.hpp"

#include "base/sha256.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <chrono>

namespace varco::saml::audit {
namespace {

using namespace std::chrono;

const audit_time noon = sys_days{2026y / November / 28} + 12h + 123ms;

record_header header(std::uint64_t seq) { return {seq, noon, genesis_hash, "authn"}; }

TEST(record_codec, the_line_is_json_with_the_header_first_and_the_hash_last) {
  const auto sealed = seal_record(header(7), {{"request_id", "_abc"}});
  EXPECT_EQ(sealed.line, "{\"seq\":7,\"time\":\"2026-11-28T12:00:00.123Z\",\"prev\":\"" +
                             genesis_hash +
                             "\",\"kind\":\"authn\",\"request_id\":\"_abc\",\"hash\":\"" +
                             sealed.hash + "\"}\n");
  // The hash covers the bytes before ,"hash": exactly.
  const auto body = sealed.line.substr(0, sealed.line.find(",\"hash\":"));
  EXPECT_EQ(sealed.hash, base::sha256_hex(body));
  EXPECT_TRUE(boost::json::parse(sealed.line).is_object());
}

TEST(record_codec, parse_gives_back_what_seal_wrote) {
  const auto sealed = seal_record(header(3), {{"outcome", "success"}, {"n", 5}});
  auto line = sealed.line;
  line.pop_back();
  const auto parsed = parse_record(line);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->header.seq, 3u);
  EXPECT_EQ(parsed->header.time, noon);
  EXPECT_EQ(parsed->header.prev, genesis_hash);
  EXPECT_EQ(parsed->header.kind, "authn");
  EXPECT_EQ(parsed->hash, sealed.hash);
  EXPECT_EQ(parsed->fields.at("outcome").as_string(), "success");
  EXPECT_EQ(parsed->fields.at("n").as_int64(), 5);
}

TEST(record_codec, messages_keep_newlines_and_any_bytes_on_one_line) {
  // A SAML message with newlines and bytes that are not UTF-8 (stored as received).
  const std::string xml = "<Response>\n\t<x a=\"\\\"/>\xff\xfe</Response>";
  const auto sealed = seal_record(header(1), {{"response_xml", xml}});
  EXPECT_EQ(sealed.line.find('\n'), sealed.line.size() - 1);
  const auto parsed = parse_record(std::string_view(sealed.line).substr(0, sealed.line.size() - 1));
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->fields.at("response_xml").as_string(), xml);
}

TEST(record_codec, one_changed_byte_is_a_hash_mismatch) {
  auto line = seal_record(header(1), {{"name_id", "_abc"}}).line;
  line.pop_back();
  line[line.find("_abc") + 1] = 'x';
  const auto parsed = parse_record(line);
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().find("hash mismatch"), std::string::npos);
}

TEST(record_codec, lines_that_are_not_records_are_refused) {
  EXPECT_FALSE(parse_record(""));
  EXPECT_FALSE(parse_record("{\"seq\":1}"));
  // A well-formed hash suffix over a body that is not the expected header.
  const std::string body = "{\"a\":1";
  EXPECT_FALSE(parse_record(body + ",\"hash\":\"" + base::sha256_hex(body) + "\"}"));
  // A second "hash" member inside the hashed part.
  const std::string twice = "{\"seq\":1,\"time\":\"2026-11-28T12:00:00.123Z\",\"prev\":\"" +
                            genesis_hash + "\",\"kind\":\"authn\",\"hash\":\"x\"";
  EXPECT_FALSE(parse_record(twice + ",\"hash\":\"" + base::sha256_hex(twice) + "\"}"));
}

TEST(record_codec, time_has_one_spelling) {
  EXPECT_EQ(format_time(noon), "2026-11-28T12:00:00.123Z");
  EXPECT_EQ(parse_time("2026-11-28T12:00:00.123Z"), noon);
  EXPECT_FALSE(parse_time("2026-11-28T12:00:00Z"));
  EXPECT_FALSE(parse_time("2026-02-30T12:00:00.000Z"));
  EXPECT_FALSE(parse_time("2026-11-28 12:00:00.123Z"));
}

}  // namespace
}  // namespace varco::saml::audit
