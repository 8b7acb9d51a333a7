// The logging section's destinations: stdout by default, files resolved against the config's
// directory and checked at load (the directory must exist, the file must be appendable).
#include "tests/unit/conf/conf_fixture.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace varco::conf::testing {
namespace {

class logging_config : public conf_fixture {
 protected:
  // The logging section starts on line 11.
  static std::string config(const std::string& logging) {
    return std::string(minimal_jwt) + minimal_products + logging;
  }
};

TEST_F(logging_config, defaults_to_stdout_for_both_logs) {
  auto loaded = load(config("logging: {level: info}\n"));
  ASSERT_TRUE(loaded.value) << loaded.errors.front().to_string();
  EXPECT_EQ(loaded.value->logging.file, "");
  EXPECT_EQ(loaded.value->logging.access_file, "");
}

TEST_F(logging_config, an_empty_path_means_stdout) {
  auto loaded = load(config("logging: {file: \"\", access_file: \"\"}\n"));
  ASSERT_TRUE(loaded.value) << loaded.errors.front().to_string();
  EXPECT_EQ(loaded.value->logging.file, "");
  EXPECT_EQ(loaded.value->logging.access_file, "");
}

TEST_F(logging_config, relative_paths_start_at_the_config_directory_and_nothing_is_created) {
  std::filesystem::create_directory(path("logs"));
  write("logs/access.log", "{\"old\":true}\n");  // an existing file is appended to, not refused
  auto loaded =
      load(config("logging:\n"
                  "  file: logs/varco.log\n"
                  "  access_file: logs/access.log\n"));
  ASSERT_TRUE(loaded.value) << loaded.errors.front().to_string();
  EXPECT_EQ(loaded.value->logging.file, path("logs/varco.log").string());
  EXPECT_EQ(loaded.value->logging.access_file, path("logs/access.log").string());
  // Loading is a check, as for check-config and a reload that may be refused: no file appears.
  EXPECT_FALSE(std::filesystem::exists(path("logs/varco.log")));
}

TEST_F(logging_config, a_file_in_a_missing_directory_fails_the_load_with_its_line) {
  const auto errors =
      errors_of(config("logging:\n"
                       "  level: info\n"
                       "  file: missing/varco.log\n"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "varco.yaml:13: logging.file: cannot write \"missing/varco.log\": the directory "
            "\"missing\" does not exist");
}

TEST_F(logging_config, an_access_file_that_is_a_directory_fails_the_load_with_its_line) {
  std::filesystem::create_directory(path("logs"));
  const auto errors =
      errors_of(config("logging:\n"
                       "  access_file: logs\n"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "varco.yaml:12: logging.access_file: cannot write \"logs\": is a directory");
}

TEST_F(logging_config, both_bad_paths_are_reported) {
  const auto errors =
      errors_of(config("logging: {file: nowhere/a.log, access_file: nowhere/b.log}\n"));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("varco.yaml:11: logging.file: "), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("varco.yaml:11: logging.access_file: "), std::string::npos) << errors[1];
}

}  // namespace
}  // namespace varco::conf::testing
