// `varco oidc-key`, run in-process: the key it writes, the JWK it prints, what it refuses.
#include "gateway/commands/commands.hpp"
#include "jose/jwk.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace varco::gateway::commands {
namespace {

namespace fs = std::filesystem;

struct run_result {
  int code;
  std::string out;
  std::string err;
};

run_result run(std::vector<std::string_view> args) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = run_oidc_key_command(args, out, err);
  return {code, out.str(), err.str()};
}

class oidc_key : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("varco-oidc-key-" + std::to_string(getpid()));
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
};

TEST_F(oidc_key, makes_a_private_key_and_prints_its_public_jwk) {
  const std::string path = (dir / "sig.key").string();
  const auto r = run({"--use", "sig", "--bits", "2048", "--key-out", path});
  ASSERT_EQ(r.code, 0) << r.err;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  const auto jwk = boost::json::parse(r.out).as_object();
  EXPECT_EQ(jwk.at("kty"), "RSA");
  EXPECT_EQ(jwk.at("use"), "sig");
  EXPECT_EQ(jwk.at("alg"), "RS256");
  EXPECT_FALSE(jwk.contains("d"));
  EXPECT_EQ(jwk.at("kid").as_string(), jose::jwk_thumbprint(jwk));
  EXPECT_TRUE(jose::parse_public_jwk(jwk));

  // The same key read back prints the same JWK; a second key is not written over it.
  EXPECT_EQ(run({"--use", "sig", "--key", path}).out, r.out);
  const auto again = run({"--use", "sig", "--key-out", path});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("exists"), std::string::npos);
  EXPECT_EQ(run({"--use", "sig", "--key", path}).out, r.out);
  EXPECT_EQ(run({"--use", "sig", "--bits", "2048", "--key-out", path, "--force"}).code, 0);
  EXPECT_NE(run({"--use", "sig", "--key", path}).out, r.out);
}

TEST_F(oidc_key, ec_signing_and_rsa_encryption_keys) {
  const auto ec = run({"--use", "sig", "--type", "ec", "--key-out", (dir / "ec.key").string()});
  ASSERT_EQ(ec.code, 0) << ec.err;
  const auto ec_jwk = boost::json::parse(ec.out).as_object();
  EXPECT_EQ(ec_jwk.at("crv"), "P-256");
  EXPECT_EQ(ec_jwk.at("alg"), "ES256");
  const auto enc = run({"--use", "enc", "--bits", "2048", "--key-out", (dir / "enc.key").string()});
  ASSERT_EQ(enc.code, 0) << enc.err;
  EXPECT_EQ(boost::json::parse(enc.out).as_object().at("alg"), "RSA-OAEP-256");
  // An EC key cannot be an encryption key here, made or read.
  EXPECT_EQ(run({"--use", "enc", "--type", "ec", "--key-out", (dir / "x.key").string()}).code, 2);
  EXPECT_EQ(run({"--use", "enc", "--key", (dir / "ec.key").string()}).code, 1);
}

TEST_F(oidc_key, refuses_unclear_requests) {
  const std::string path = (dir / "k.key").string();
  EXPECT_EQ(run({"--key-out", path}).code, 2);                   // no --use
  EXPECT_EQ(run({"--use", "sign", "--key-out", path}).code, 2);  // not sig or enc
  EXPECT_EQ(run({"--use", "sig", "--bits", "1024", "--key-out", path}).code, 2);
  EXPECT_EQ(run({"--use", "sig", "--bits", "3072x", "--key-out", path}).code, 2);
  EXPECT_EQ(run({"--use", "sig"}).code, 2);                                    // neither file
  EXPECT_EQ(run({"--use", "sig", "--key", path, "--key-out", path}).code, 2);  // both
  EXPECT_EQ(run({"--use", "sig", "--colour", "red"}).code, 2);
  EXPECT_EQ(run({"--use", "sig", "--key", (dir / "missing.key").string()}).code, 1);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(run({"--help"}).code, 0);
}

}  // namespace
}  // namespace varco::gateway::commands
