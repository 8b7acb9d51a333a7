#include "directory/file_loader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace varco::directory {
namespace {

std::vector<std::string> errors_of(const std::string& yaml) {
  const auto result = load_directory_text(yaml, "dir.yaml", 1);
  std::vector<std::string> out;
  for (const auto& e : result.errors) out.push_back(e.to_string());
  EXPECT_EQ(result.ok(), result.directory != nullptr);
  return out;
}

const std::string two_parties = R"(parties:
  - id: pa
    name: Comune
    type: PA
    fiscal_code: "80012340123"
  - id: pt
    name: Partner
    type: PT
    fiscal_code: "01234567890"
)";

struct error_case {
  const char* name;
  std::string yaml;
  std::vector<std::string> expected;
};

class loader_errors : public ::testing::TestWithParam<error_case> {};

TEST_P(loader_errors, reports_exact_file_line_messages) {
  EXPECT_EQ(errors_of(GetParam().yaml), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    table, loader_errors,
    ::testing::Values(
        error_case{"unknown_top_level_key",
                   "partys: []\n",
                   {"dir.yaml:1: unknown key \"partys\" in the directory"}},
        error_case{"not_a_mapping",
                   "- a\n- b\n",
                   {"dir.yaml:1: the directory must be a mapping with parties, users, memberships "
                    "and delegations"}},
        error_case{"parties_not_a_list", "parties: 3\n", {"dir.yaml:1: parties must be a list"}},
        error_case{"unknown_party_key",
                   "parties:\n  - id: a\n    name: A\n    type: PA\n    fiscal_code: "
                   "\"80012340123\"\n    nmae: x\n",
                   {"dir.yaml:6: unknown key \"nmae\" in a party"}},
        error_case{"missing_required_party_fields",
                   "parties:\n  - id: a\n    type: PA\n",
                   {"dir.yaml:2: party: missing required field \"name\"",
                    "dir.yaml:2: party: missing required field \"fiscal_code\""}},
        error_case{"duplicate_party_id",
                   two_parties + "  - id: pa\n    name: Again\n    type: PA\n    fiscal_code: "
                                 "\"80012340123\"\n",
                   {"dir.yaml:10: duplicate party id \"pa\" (first defined at line 2)"}},
        error_case{"bad_party_fiscal_code",
                   "parties:\n  - id: a\n    name: A\n    type: PA\n    fiscal_code: \"8001234\"\n",
                   {"dir.yaml:5: party fiscal_code \"8001234\" must be 11 digits or 16 letters or "
                    "digits"}},
        error_case{"membership_unknown_party",
                   two_parties +
                       "memberships:\n  - user: RSSMRA80A01H501U\n    party: nope\n"
                       "    product: p\n    party_role: MANAGER\n    product_role: admin\n",
                   {"dir.yaml:12: membership: unknown party \"nope\""}},
        error_case{"membership_bad_role_and_status",
                   two_parties + "memberships:\n  - user: RSSMRA80A01H501U\n    party: pa\n"
                                 "    product: p\n    party_role: BOSS\n    product_role: admin\n"
                                 "    status: paused\n",
                   {"dir.yaml:14: membership: bad party_role \"BOSS\" (expected MANAGER, DELEGATE, "
                    "SUB_DELEGATE, OPERATOR or ADMIN_EA)",
                    "dir.yaml:16: membership: bad status \"paused\" (expected active or "
                    "suspended)"}},
        error_case{
            "membership_fiscal_number_with_prefix",
            two_parties + "memberships:\n  - user: TINIT-RSSMRA80A01H501U\n    party: pa\n"
                          "    product: p\n    party_role: MANAGER\n    product_role: admin\n",
            {"dir.yaml:11: membership: user fiscal number \"TINIT-RSSMRA80A01H501U\" must be "
             "16 letters or digits, without the TINIT- prefix"}},
        error_case{"membership_missing_fields",
                   two_parties + "memberships:\n  - user: RSSMRA80A01H501U\n    party: pa\n",
                   {"dir.yaml:11: membership: missing required field \"product\"",
                    "dir.yaml:11: membership: missing required field \"party_role\"",
                    "dir.yaml:11: membership: missing required field \"product_role\""}},
        error_case{"duplicate_membership",
                   two_parties + "memberships:\n"
                                 "  - {user: RSSMRA80A01H501U, party: pa, product: p, party_role: "
                                 "MANAGER, product_role: admin}\n"
                                 "  - {user: rssmra80a01h501u, party: pa, product: p, party_role: "
                                 "OPERATOR, product_role: operator}\n",
                   {"dir.yaml:12: duplicate membership of \"RSSMRA80A01H501U\" on party \"pa\" for "
                    "product \"p\" (first defined at line 11)"}},
        error_case{"delegation_direction",
                   two_parties + "delegations:\n  - from: pt\n    to: pa\n    product: p\n",
                   {"dir.yaml:11: delegation: from party \"pt\" is a technology partner (PT); "
                    "delegations come from institutions",
                    "dir.yaml:12: delegation: to party \"pa\" has type \"PA\", expected a "
                    "technology partner (PT)"}},
        error_case{"delegation_unknown_parties",
                   two_parties + "delegations:\n  - from: x\n    to: y\n    product: p\n    "
                                 "when: now\n",
                   {"dir.yaml:14: unknown key \"when\" in a delegation",
                    "dir.yaml:11: delegation: unknown party \"x\"",
                    "dir.yaml:12: delegation: unknown party \"y\""}},
        error_case{"every_error_is_collected",
                   "parties:\n  - id: a\n  - name: B\nmemberships:\n  - user: X\n",
                   {"dir.yaml:2: party: missing required field \"name\"",
                    "dir.yaml:2: party: missing required field \"type\"",
                    "dir.yaml:2: party: missing required field \"fiscal_code\"",
                    "dir.yaml:3: party: missing required field \"id\"",
                    "dir.yaml:3: party: missing required field \"type\"",
                    "dir.yaml:3: party: missing required field \"fiscal_code\"",
                    "dir.yaml:5: membership: missing required field \"party\"",
                    "dir.yaml:5: membership: missing required field \"product\"",
                    "dir.yaml:5: membership: missing required field \"party_role\"",
                    "dir.yaml:5: membership: missing required field \"product_role\"",
                    "dir.yaml:5: membership: user fiscal number \"X\" must be 16 letters or "
                    "digits, without the TINIT- prefix"}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(loader, yaml_syntax_error_has_a_line) {
  const auto errors = errors_of("parties:\n  - id: [a\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("dir.yaml:", 0), 0u) << errors[0];
  EXPECT_NE(errors[0].find("dir.yaml:3:"), std::string::npos) << errors[0];
}

TEST(loader, missing_file) {
  const auto result = load_directory_file("/nonexistent/dir.yaml", 1);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].to_string(), "/nonexistent/dir.yaml: cannot open the directory file");
}

TEST(loader, empty_file_is_an_empty_directory) {
  const auto result = load_directory_text("# nothing yet\n", "dir.yaml", 3);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.directory->parties().empty());
  EXPECT_EQ(result.directory->generation(), 3u);
}

TEST(loader, loads_the_example_file) {
  const auto result =
      load_directory_file(std::string(VARCO_SOURCE_DIR) + "/conf/examples/directory.yaml", 42);
  for (const auto& e : result.errors) ADD_FAILURE() << e.to_string();
  ASSERT_TRUE(result.ok());
  const auto& d = *result.directory;
  EXPECT_EQ(d.generation(), 42u);

  const auto* comune = d.find_party("9f1c2a3e-0001-4a6b-9c1d-000000000001");
  ASSERT_NE(comune, nullptr);
  EXPECT_EQ(comune->name, "Comune di Valdoria");
  EXPECT_EQ(comune->type, "PA");
  EXPECT_EQ(comune->fiscal_code, "80012340123");
  EXPECT_EQ(comune->ipa_code, "c_v001");
  EXPECT_EQ(comune->logo, "/static/logos/valdoria.svg");
  // Registry keeps file order.
  const std::vector<std::pair<std::string, std::string>> registry{
      {"address", "Piazza del Municipio 1"},
      {"zip", "00100"},
      {"city", "Valdoria"},
      {"pec", "protocollo@pec.comune.valdoria.it"}};
  EXPECT_EQ(comune->registry, registry);

  const auto* manager = d.membership_for("RSSMRA80A01H501U", comune->id, "prod-pagopa");
  ASSERT_NE(manager, nullptr);
  EXPECT_EQ(manager->role, party_role::manager);
  EXPECT_EQ(manager->product_role, "admin");
  EXPECT_EQ(manager->status, membership_status::active);

  const auto* op = d.membership_for("VRDLGU85B02F205X", comune->id, "prod-pagopa");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->role, party_role::operator_);
  EXPECT_EQ(op->status, membership_status::active);  // default

  const auto to_partner = d.delegations_to("9f1c2a3e-0002-4a6b-9c1d-000000000002");
  ASSERT_EQ(to_partner.size(), 1u);
  EXPECT_EQ(to_partner[0]->from_party, comune->id);
  EXPECT_EQ(to_partner[0]->since, "2025-03-14");
}

}  // namespace
}  // namespace varco::directory

namespace varco::directory {
namespace {

TEST(loader_users, reads_names_and_emails_upper_casing_the_fiscal_number) {
  const auto result = load_directory_text(R"(users:
  - {fiscal_number: rssmra80a01h501u, name: Mario, family_name: Rossi, email: m.rossi@example.it}
  - {fiscal_number: VRDLGU85B02F205X, name: Luigi, family_name: Verdi}
)",
                                          "dir.yaml", 1);
  ASSERT_TRUE(result.ok());
  const auto* mario = result.directory->find_person("RSSMRA80A01H501U");
  ASSERT_NE(mario, nullptr);
  EXPECT_EQ(mario->family_name, "Rossi");
  EXPECT_EQ(mario->email, "m.rossi@example.it");
  EXPECT_EQ(result.directory->find_person("VRDLGU85B02F205X")->email, "");
  EXPECT_EQ(result.directory->find_person("NREGLI90D45L219R"), nullptr);
}

TEST(loader_users, reports_bad_and_duplicate_users_with_their_lines) {
  const std::vector<std::string> expected = {
      "dir.yaml:2: user fiscal number \"ABC\" must be 16 letters or digits, without the TINIT- "
      "prefix",
      "dir.yaml:3: user email \"not-an-email\" is not an e-mail address",
      "dir.yaml:5: duplicate user \"RSSMRA80A01H501U\" (first defined at line 4)",
      "dir.yaml:6: unknown key \"phone\" in a user",
      "dir.yaml:6: user: missing required field \"family_name\"",
  };
  EXPECT_EQ(errors_of(R"(users:
  - {fiscal_number: ABC, name: A, family_name: B}
  - {fiscal_number: VRDLGU85B02F205X, name: L, family_name: V, email: not-an-email}
  - {fiscal_number: RSSMRA80A01H501U, name: M, family_name: R}
  - {fiscal_number: RSSMRA80A01H501U, name: M, family_name: R}
  - {fiscal_number: NREGLI90D45L219R, name: G, phone: "1"}
)"),
            expected);
}

TEST(loader_users, reads_each_partys_work_email) {
  const auto result = load_directory_text(R"(parties:
  - {id: p1, name: Comune, type: PA, fiscal_code: "80012340123"}
  - {id: p2, name: Partner, type: PT, fiscal_code: "01234567890"}
users:
  - fiscal_number: RSSMRA80A01H501U
    name: Mario
    family_name: Rossi
    email: mario.rossi@example.it
    work_emails:
      p1: m.rossi@comune.example.it
)",
                                          "dir.yaml", 1);
  ASSERT_TRUE(result.ok()) << result.errors.front().to_string();
  const auto* mario = result.directory->find_person("RSSMRA80A01H501U");
  ASSERT_NE(mario, nullptr);
  EXPECT_EQ(work_email(*mario, "p1"), "m.rossi@comune.example.it");
  EXPECT_EQ(work_email(*mario, "p2"), "mario.rossi@example.it");  // the person's e-mail
}

TEST(loader_users, reports_bad_work_emails_with_their_lines) {
  const std::vector<std::string> expected = {
      "dir.yaml:7: user work e-mail for party \"p1\" must be one e-mail address",
      "dir.yaml:7: user work_emails: unknown party \"p9\"",
      "dir.yaml:8: user work_emails must be a mapping of party id to e-mail address",
  };
  EXPECT_EQ(errors_of(R"(parties:
  - {id: p1, name: Comune, type: PA, fiscal_code: "80012340123"}
users:
  - fiscal_number: RSSMRA80A01H501U
    name: M
    family_name: R
    work_emails: {p1: not-an-email, p9: a@b.it}
  - {fiscal_number: VRDLGU85B02F205X, name: L, family_name: V, work_emails: [a@b.it]}
)"),
            expected);
}

TEST(email_address, loose_but_not_anything) {
  EXPECT_TRUE(is_email_address("a.b@pec.comune.it"));
  EXPECT_FALSE(is_email_address("a@b"));
  EXPECT_FALSE(is_email_address("@b.it"));
  EXPECT_FALSE(is_email_address("a@b@c.it"));
  EXPECT_FALSE(is_email_address("a b@c.it"));
  EXPECT_FALSE(is_email_address("a<b>@c.it"));
  EXPECT_FALSE(is_email_address("a@c."));
}

}  // namespace
}  // namespace varco::directory
