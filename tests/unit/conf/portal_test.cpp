// The portal section: both directories resolved against the config's directory and checked at
// load, including that the npm install actually put Bootstrap Italia there; the legal texts read
// whole at load.
#include "tests/unit/conf/conf_fixture.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace varco::conf::testing {
namespace {

class portal_config : public conf_fixture {
 protected:
  portal_config() {
    write_ec_key("jwt.pem");
    std::filesystem::create_directories(path("modules/bootstrap-italia/dist/css"));
    write("modules/bootstrap-italia/dist/css/bootstrap-italia.min.css", "a{}");
    std::filesystem::create_directories(path("assets"));
    std::filesystem::create_directories(path("empty"));
  }
  static std::string config(const std::string& portal) {
    return std::string(minimal_jwt) + minimal_products + portal;
  }
};

TEST_F(portal_config, absent_section_leaves_the_portal_off) {
  auto loaded = load(config(""));
  ASSERT_TRUE(loaded.value) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
  EXPECT_FALSE(loaded.value->portal.enabled);
}

TEST_F(portal_config, directories_resolve_against_the_config_file) {
  auto loaded = load(config("portal: {static_root: modules, assets_dir: assets}\n"));
  ASSERT_TRUE(loaded.value) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
  EXPECT_TRUE(loaded.value->portal.enabled);
  EXPECT_EQ(loaded.value->portal.static_root, (dir_ / "modules").string());
  EXPECT_EQ(loaded.value->portal.assets_dir, (dir_ / "assets").string());
  EXPECT_EQ(loaded.value->portal.logos_dir, "");  // optional
}

TEST_F(portal_config, the_logos_directory_is_optional_and_checked) {
  std::filesystem::create_directories(path("logos"));
  auto loaded =
      load(config("portal: {static_root: modules, assets_dir: assets, logos_dir: logos}\n"));
  ASSERT_TRUE(loaded.value) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
  EXPECT_EQ(loaded.value->portal.logos_dir, (dir_ / "logos").string());
  const auto no_dir =
      errors_of(config("portal: {static_root: modules, assets_dir: assets, logos_dir: nowhere}\n"));
  ASSERT_EQ(no_dir.size(), 1u);
  EXPECT_NE(no_dir[0].find("is not a directory"), std::string::npos) << no_dir[0];
}

TEST_F(portal_config, missing_keys_directories_and_npm_install_are_reported) {
  EXPECT_EQ(errors_of(config("portal: {assets_dir: assets}\n")),
            std::vector<std::string>{"varco.yaml:11: portal.static_root: is required"});
  const auto no_install = errors_of(config("portal: {static_root: empty, assets_dir: assets}\n"));
  ASSERT_EQ(no_install.size(), 1u);
  EXPECT_NE(no_install[0].find("has no bootstrap-italia/dist"), std::string::npos) << no_install[0];
  EXPECT_NE(no_install[0].find("npm ci"), std::string::npos);
  const auto no_dir = errors_of(config("portal: {static_root: modules, assets_dir: nowhere}\n"));
  ASSERT_EQ(no_dir.size(), 1u);
  EXPECT_NE(no_dir[0].find("is not a directory"), std::string::npos) << no_dir[0];
  EXPECT_EQ(errors_of(config("portal: {static_root: modules, assets_dir: assets, x: 1}\n")).size(),
            1u);
}

TEST_F(portal_config, legal_texts_are_read_at_load_and_the_english_ones_are_optional) {
  write("termini.md", "# Oggetto\nTesto dei termini.\n");
  write("privacy.md", "Informativa.\n");
  write("privacy.en.md", "Privacy notice.\n");
  auto loaded = load(
      config("portal:\n  static_root: modules\n  assets_dir: assets\n  terms_file: termini.md\n"
             "  privacy_file: privacy.md\n  privacy_file_en: privacy.en.md\n"));
  ASSERT_TRUE(loaded.value) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
  const auto& portal = loaded.value->portal;
  EXPECT_EQ(portal.terms.file, (dir_ / "termini.md").string());
  EXPECT_EQ(portal.terms.text, "# Oggetto\nTesto dei termini.\n");
  EXPECT_TRUE(portal.terms.text_en.empty());
  EXPECT_EQ(portal.privacy.text, "Informativa.\n");
  EXPECT_EQ(portal.privacy.text_en, "Privacy notice.\n");

  // Without the keys the pages are simply not configured.
  auto bare = load(config("portal: {static_root: modules, assets_dir: assets}\n"));
  ASSERT_TRUE(bare.value);
  EXPECT_TRUE(bare.value->portal.terms.text.empty());
  EXPECT_TRUE(bare.value->portal.privacy.file.empty());
}

TEST_F(portal_config, missing_empty_or_oversized_legal_texts_are_config_errors_with_their_line) {
  const std::string head = "portal:\n  static_root: modules\n  assets_dir: assets\n";
  const auto missing = errors_of(config(head + "  terms_file: nowhere.md\n"));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].rfind("varco.yaml:14: portal.terms_file: ", 0), 0u) << missing[0];
  EXPECT_NE(missing[0].find("nowhere.md"), std::string::npos) << missing[0];

  write("empty.md", "");
  const auto empty = errors_of(config(head + "  privacy_file: empty.md\n"));
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_NE(empty[0].find("is empty"), std::string::npos) << empty[0];

  write("huge.md", std::string(256 * 1024 + 1, 'x'));
  const auto huge = errors_of(config(head + "  terms_file: huge.md\n"));
  ASSERT_EQ(huge.size(), 1u);
  EXPECT_NE(huge[0].find("larger than 256 KiB"), std::string::npos) << huge[0];

  const auto directory = errors_of(config(head + "  terms_file: assets\n"));
  ASSERT_EQ(directory.size(), 1u);
  EXPECT_NE(directory[0].find("is not a readable file"), std::string::npos) << directory[0];

  // An English text alone has no Italian page to sit beside.
  write("terms.en.md", "Terms.\n");
  EXPECT_EQ(errors_of(config(head + "  terms_file_en: terms.en.md\n")),
            std::vector<std::string>{
                "varco.yaml:14: portal.terms_file_en: needs terms_file (the Italian text comes "
                "first)"});
}

}  // namespace
}  // namespace varco::conf::testing
