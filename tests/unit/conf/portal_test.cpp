// The portal section: both directories resolved against the config's directory and checked at
// load, including that the npm install actually put Bootstrap Italia there.
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

}  // namespace
}  // namespace varco::conf::testing
