// decode_session (parser events, no tree) against the tree-based decoder it replaced
// (dom_session_decoder.hpp): over valid sessions, every member missing, duplicated or of every
// JSON type, documents that are not objects, every truncation and random mutations, the two
// must accept the same documents and produce the same session.
#include "session/session_codec.hpp"
#include "tests/unit/session/dom_session_decoder.hpp"
#include "tests/unit/session/store_fixtures.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace varco::session::testing {
namespace {

struct tally {
  int accepted = 0;
  int refused = 0;
};

// Both decoders on `doc`: the same verdict and, when accepted, the same session.
void expect_same(const std::string& doc, tally& t) {
  const auto events = decode_session(doc, "the-key");
  const auto tree = reference::dom_decode_session(doc, "the-key");
  ASSERT_EQ(events.has_value(), tree.has_value()) << doc;
  if (events) {
    EXPECT_EQ(*events, *tree) << doc;
    ++t.accepted;
  } else {
    EXPECT_EQ(events.error(), store_errc::corrupt) << doc;
    ++t.refused;
  }
}

const std::vector<std::string> member_names = {
    "v",          "attributes", "provider",     "idp",  "name_id", "session_index", "level",
    "created_at", "party",      "environments", "csrf", "oidc",    "unknown_member"};

// One value of every JSON kind, edge numbers, and maps that are valid, invalid or duplicated.
const std::vector<std::string> values = {
    R"("x")",
    R"("")",
    R"("caf\u00e9 \"quoted\" \\ \n \ud83d\ude00")",
    "0",
    "1",
    "2",
    "3",
    "4",
    "-1",
    "-0",
    "1.0",
    "1e0",
    "1e400",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "true",
    "false",
    "null",
    "[]",
    R"([1,"a",{"b":[]}])",
    "{}",
    R"({"a":"b"})",
    R"({"a":1})",
    R"({"a":null})",
    R"({"a":"b","a":1})",
    R"({"a":1,"a":"b"})",
    R"({"a":"x","a":"y"})",
    R"({"b":"x","a":"y"})",
    R"({"a":{"b":"c"}})",
    R"({"a":[]})",
    R"({"a":"x","b":[1,{"c":2}],"b":"z"})",
    R"({"\u0061":"escaped key","a\u0000b":"nul"})",
};

std::string base_document() { return encode_session(sample_session("")); }

// The document's members as written, in order: name, raw value text.
std::vector<std::pair<std::string, std::string>> base_members() {
  std::vector<std::pair<std::string, std::string>> members = {
      {"v", "1"},
      {"attributes", R"({"email":"m@example.it","fiscalNumber":"RSSMRA80A01H501U"})"},
      {"provider", R"("spid")"},
      {"idp", R"("https://idp.example.it")"},
      {"name_id", R"("_n")"},
      {"session_index", R"("_i")"},
      {"level", "2"},
      {"created_at", "1700000000000"},
      {"party", R"("p")"},
      {"environments", R"({"prod":"collaudo"})"},
      {"csrf", R"("c")"},
  };
  return members;
}

std::string assemble(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string doc = "{";
  for (const auto& [name, value] : members) {
    if (doc.size() > 1) doc += ',';
    doc.append(1, '"').append(name).append("\":").append(value);
  }
  return doc + "}";
}

TEST(session_codec_equivalence, valid_sessions) {
  tally t;
  session big = sample_session("");
  big.idp_entity_id = std::string(5000, 'i');  // past any internal buffer of the parser
  big.name_id = "quote \" backslash \\ control \x01 tab \t é 😀";
  for (int i = 0; i < 60; ++i) big.attributes["attr" + std::to_string(i)] = std::string(i, 'v');
  big.environments.clear();
  session empty;
  empty.level = 0;
  for (const session& s : {sample_session(""), big, empty}) expect_same(encode_session(s), t);
  expect_same(" \n\t" + base_document() + " \r\n", t);
  EXPECT_EQ(t.accepted, 4);
}

TEST(session_codec_equivalence, every_member_missing_duplicated_or_of_every_kind) {
  tally t;
  const auto base = base_members();
  expect_same(assemble(base), t);
  for (const auto& name : member_names) {
    auto without = base;
    std::erase_if(without, [&](const auto& m) { return m.first == name; });
    expect_same(assemble(without), t);
    for (const auto& value : values) {
      auto replaced = base;
      bool found = false;
      for (auto& m : replaced) {
        if (m.first == name) {
          m.second = value;
          found = true;
        }
      }
      if (!found) replaced.emplace_back(name, value);
      expect_same(assemble(replaced), t);
      // The same member twice: the last one counts, whichever of the two is wrong.
      auto before = base;
      before.insert(before.begin(), {name, value});
      expect_same(assemble(before), t);
      auto after = base;
      after.emplace_back(name, value);
      expect_same(assemble(after), t);
      auto twice = replaced;
      twice.emplace_back(name, values.front());
      expect_same(assemble(twice), t);
    }
  }
  // Both outcomes are exercised plenty.
  EXPECT_GT(t.accepted, 200);
  EXPECT_GT(t.refused, 200);
}

TEST(session_codec_equivalence, not_an_object_or_not_json) {
  tally t;
  const std::string doc = base_document();
  for (const auto& value : values) expect_same(value, t);
  const std::vector<std::string> others = {"",
                                           " ",
                                           doc + "x",
                                           doc + doc,
                                           doc + ",",
                                           "[" + doc + "]",
                                           "/*c*/" + doc,
                                           doc.substr(0, doc.size() - 1) + ",}",
                                           R"({"v":1,})",
                                           "{\"v\":1,\"party\":\"\xff\"}",
                                           doc + std::string(1, '\0')};
  for (const auto& other : others) expect_same(other, t);
  // Nesting at the parser's depth limit, in a member that is otherwise ignored.
  for (int depth : {30, 31, 32, 33, 40}) {
    auto members = base_members();
    members.emplace_back("deep", std::string(depth, '[') + std::string(depth, ']'));
    expect_same(assemble(members), t);
    members.back().second.clear();
    for (int i = 0; i < depth; ++i) members.back().second += "{\"k\":";
    members.back().second += "1" + std::string(depth, '}');
    expect_same(assemble(members), t);
  }
  EXPECT_GT(t.refused, 40);
}

TEST(session_codec_equivalence, every_truncation) {
  tally t;
  const std::string doc = base_document();
  for (std::size_t n = 0; n <= doc.size(); ++n) expect_same(doc.substr(0, n), t);
  EXPECT_EQ(t.accepted, 1);
}

TEST(session_codec_equivalence, random_mutations) {
  tally t;
  std::mt19937 rng(20240617);
  const std::string alphabet = R"({}[]:,"\ 0123456789-+.eEtrufalsn)";
  const std::vector<std::string> docs = {base_document(), assemble(base_members())};
  for (int i = 0; i < 30000; ++i) {
    std::string doc = docs[i % docs.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int j = 0; j < edits; ++j) {
      const std::size_t at = rng() % (doc.size() + 1);
      switch (rng() % 5) {
        case 0:  // a byte from the JSON alphabet in place of another
          if (at < doc.size()) doc[at] = alphabet[rng() % alphabet.size()];
          break;
        case 1:  // inserted
          doc.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        case 2:  // deleted
          if (at < doc.size()) doc.erase(at, 1);
          break;
        case 3:  // a whole value spliced in
          doc.insert(at, values[rng() % values.size()]);
          break;
        default:  // any byte
          if (at < doc.size()) doc[at] = static_cast<char>(rng());
      }
    }
    expect_same(doc, t);
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(t.accepted, 1000);
  EXPECT_GT(t.refused, 1000);
}

}  // namespace
}  // namespace varco::session::testing
