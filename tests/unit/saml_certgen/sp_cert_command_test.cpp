// `varco sp-cert`, called in-process.
#include "gateway/commands/commands.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace varco::gateway::commands {
namespace {

namespace fs = std::filesystem;

struct run_result {
  int code;
  std::string out;
  std::string err;
};

run_result run(const std::vector<std::string>& words) {
  const std::vector<std::string_view> args(words.begin(), words.end());
  std::ostringstream out, err;
  const int code = run_sp_cert_command(args, out, err);
  return {code, out.str(), err.str()};
}

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class sp_cert_command_test : public ::testing::Test {
 protected:
  sp_cert_command_test() {
    std::random_device random;
    dir = fs::temp_directory_path() / ("varco-sp-cert-" + std::to_string(random()));
    fs::create_directories(dir);
  }
  ~sp_cert_command_test() override { fs::remove_all(dir); }

  std::vector<std::string> arguments() const {
    return {"--entity-id", "https://spid.comune.roma.it",
            "--ipa-code",  "c_h501",
            "--org",       "Roma Capitale",
            "--cn",        "Comune di Roma",
            "--locality",  "Roma",
            "--bits",      "2048",
            "--key-out",   (dir / "sp.key").string(),
            "--cert-out",  (dir / "sp.crt").string()};
  }

  fs::path dir;
};

TEST_F(sp_cert_command_test, writes_a_private_key_only_its_owner_reads_and_a_certificate) {
  const auto r = run(arguments());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("PA:IT-c_h501"), std::string::npos) << r.out;
  struct stat st {};
  ASSERT_EQ(::stat((dir / "sp.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(read(dir / "sp.key").rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  EXPECT_EQ(read(dir / "sp.crt").rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
  // Nothing else (no temporary file left behind).
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 2);
}

TEST_F(sp_cert_command_test, existing_files_are_kept_unless_forced) {
  std::ofstream(dir / "sp.key") << "precious";
  const auto refused = run(arguments());
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("exists"), std::string::npos) << refused.err;
  EXPECT_EQ(read(dir / "sp.key"), "precious");
  EXPECT_FALSE(fs::exists(dir / "sp.crt"));

  auto forced = arguments();
  forced.push_back("--force");
  ASSERT_EQ(run(forced).code, 0);
  EXPECT_EQ(read(dir / "sp.key").rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
}

TEST_F(sp_cert_command_test, a_private_sp_is_chosen_by_its_vat_number) {
  std::vector<std::string> args = arguments();
  args[2] = "--vat-number";
  args[3] = "12345678901";
  const auto r = run(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("VATIT-12345678901"), std::string::npos) << r.out;
}

TEST_F(sp_cert_command_test, help_prints_the_usage) {
  const auto r = run({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--entity-id URL"), std::string::npos) << r.out;
}

TEST_F(sp_cert_command_test, bad_usage_exits_2_and_writes_nothing) {
  EXPECT_EQ(run({}).code, 2);
  EXPECT_EQ(run({"--entity-id"}).code, 2);
  EXPECT_EQ(run({"--colour", "blue"}).code, 2);
  auto args = arguments();
  args[11] = "1024";  // --bits
  const auto r = run(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("key size"), std::string::npos) << r.err;
  args = arguments();
  args.push_back("--vat-number");
  args.push_back("12345678901");  // both an IPA code and a VAT number
  EXPECT_EQ(run(args).code, 2);
  EXPECT_TRUE(fs::is_empty(dir));
}

}  // namespace
}  // namespace varco::gateway::commands
