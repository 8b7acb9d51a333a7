// /static serving's pure half: which paths are refused (traversal in every spelling, hidden
// files, symlinks out of the root), which Content-Type each served extension gets, and the
// validators behind 304.
#include "gateway/portal/static_assets.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

namespace varco::gateway {
namespace {

namespace fs = std::filesystem;

// root/ holds css/site.css, .git/config and a symlink out to outside/secret.css; outside/ is
// beside root/, as another directory of the same machine would be.
class static_tree : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "varco-static-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    base_ = pattern;
    root_ = base_ / "root";
    fs::create_directories(root_ / "css");
    fs::create_directories(root_ / ".git");
    fs::create_directories(base_ / "outside");
    write(root_ / "css" / "site.css", "body{color:red}");
    write(root_ / ".git" / "config", "[core]");
    write(root_ / "notes.txt", "not a served type");
    write(base_ / "outside" / "secret.css", "secret");
    fs::create_symlink(base_ / "outside" / "secret.css", root_ / "css" / "link.css");
    fs::create_directory_symlink(base_ / "outside", root_ / "out");
    fs::create_symlink(root_ / "css" / "site.css", root_ / "css" / "inner.css");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(base_, ec);
  }
  static void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  static_errc error_of(std::string_view relative, std::size_t cap = 1024) const {
    auto file = read_static_file(root_, relative, cap);
    EXPECT_FALSE(file) << relative;
    if (file) return static_errc{};
    EXPECT_EQ(file.error().category(), static_category());
    return static_cast<static_errc>(file.error().value());
  }

  fs::path base_, root_;
};

TEST_F(static_tree, a_file_under_the_root_is_read_with_its_type_and_validator) {
  auto file = read_static_file(root_, "css/site.css", 1024);
  ASSERT_TRUE(file) << file.error().message();
  EXPECT_EQ(file->body, "body{color:red}");
  EXPECT_EQ(file->content_type, "text/css; charset=utf-8");
  ASSERT_GE(file->etag.size(), 5u);
  EXPECT_EQ(file->etag.front(), '"');
  EXPECT_EQ(file->etag.back(), '"');
  EXPECT_EQ(file->etag.substr(0, 3), "\"f-");  // size 15 in hex, then the time
}

TEST_F(static_tree, traversal_and_hidden_segments_are_bad_paths) {
  for (const char* bad :
       {"../outside/secret.css", "css/../../outside/secret.css", "..", "./css", ".git/config",
        "css/.hidden.css", "%2e%2e/outside/secret.css", "css/..%2fsecret.css", "css\\site.css", "",
        "css//site.css", "css/", "/etc/passwd"}) {
    EXPECT_EQ(error_of(bad), static_errc::bad_path) << bad;
  }
  EXPECT_EQ(error_of(std::string_view("css/site.css\0x", 14)), static_errc::bad_path);
}

TEST_F(static_tree, a_symlink_out_of_the_root_is_refused_and_one_inside_is_served) {
  EXPECT_EQ(error_of("css/link.css"), static_errc::bad_path);
  EXPECT_EQ(error_of("out/secret.css"), static_errc::bad_path);
  auto inner = read_static_file(root_, "css/inner.css", 1024);
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->body, "body{color:red}");
}

TEST_F(static_tree, missing_unknown_type_directory_and_oversized_files_are_not_served) {
  EXPECT_EQ(error_of("css/missing.css"), static_errc::not_found);
  EXPECT_EQ(error_of("nope/missing.css"), static_errc::not_found);
  EXPECT_EQ(error_of("notes.txt"), static_errc::unknown_type);
  EXPECT_EQ(error_of("css"), static_errc::unknown_type);
  write(root_ / "dir.css", "");
  fs::remove(root_ / "dir.css");
  fs::create_directory(root_ / "dir.css");
  EXPECT_EQ(error_of("dir.css"), static_errc::not_found);
  EXPECT_EQ(error_of("css/site.css", 14), static_errc::too_large);
  EXPECT_TRUE(read_static_file(root_, "css/site.css", 15));
}

TEST_F(static_tree, the_validator_changes_when_the_file_does) {
  auto before = read_static_file(root_, "css/site.css", 1024);
  ASSERT_TRUE(before);
  write(root_ / "css" / "site.css", "body{color:blue}");
  auto after = read_static_file(root_, "css/site.css", 1024);
  ASSERT_TRUE(after);
  EXPECT_NE(before->etag, after->etag);
  auto again = read_static_file(root_, "css/site.css", 1024);
  EXPECT_EQ(after->etag, again->etag);
}

TEST_F(static_tree, a_fresh_precompressed_sibling_is_sent_to_a_client_that_accepts_it) {
  write(root_ / "css" / "site.css.br", "BROTLI");
  write(root_ / "css" / "site.css.gz", "GZIP");
  const auto plain = read_static_file(root_, "css/site.css", 1024);
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->varies_by_encoding);
  EXPECT_EQ(plain->content_encoding, "");
  EXPECT_EQ(plain->body, "body{color:red}");

  const auto br = read_static_file(root_, "css/site.css", 1024, {.br = true, .gzip = true});
  ASSERT_TRUE(br);
  EXPECT_EQ(br->content_encoding, "br");
  EXPECT_EQ(br->body, "BROTLI");
  EXPECT_EQ(br->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(br->etag, plain->etag.substr(0, plain->etag.size() - 1) + "-br\"");

  const auto gzip = read_static_file(root_, "css/site.css", 1024, {.br = false, .gzip = true});
  ASSERT_TRUE(gzip);
  EXPECT_EQ(gzip->content_encoding, "gzip");
  EXPECT_EQ(gzip->body, "GZIP");
  EXPECT_NE(gzip->etag, br->etag);

  // A sibling older than the file (left from an earlier version) is never sent.
  const auto old_time = fs::last_write_time(root_ / "css" / "site.css") - std::chrono::hours(1);
  fs::last_write_time(root_ / "css" / "site.css.br", old_time);
  const auto stale = read_static_file(root_, "css/site.css", 1024, {.br = true, .gzip = false});
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->content_encoding, "");
  EXPECT_EQ(stale->body, "body{color:red}");
}

TEST(static_accept_encoding, names_q_values_and_wildcards) {
  auto both = parse_accept_encoding("gzip, deflate, br, zstd");
  EXPECT_TRUE(both.br && both.gzip);
  auto none = parse_accept_encoding("");
  EXPECT_FALSE(none.br || none.gzip);
  auto refused = parse_accept_encoding("br;q=0, gzip;q=0.000, identity");
  EXPECT_FALSE(refused.br || refused.gzip);
  auto weighted = parse_accept_encoding("BR ; q=0.5,GZip;q=1");
  EXPECT_TRUE(weighted.br && weighted.gzip);
  auto any = parse_accept_encoding("*;q=0.1, gzip;q=0");
  EXPECT_TRUE(any.br);
  EXPECT_FALSE(any.gzip);
  EXPECT_TRUE(parse_accept_encoding("x-gzip").gzip);
  EXPECT_FALSE(parse_accept_encoding("brotli, gzipx").gzip);
  EXPECT_FALSE(parse_accept_encoding("brotli, gzipx").br);
}

TEST(static_content_type, each_served_extension_has_its_type_and_others_none) {
  EXPECT_EQ(content_type_for("a/b.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("x.min.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("svg/sprites.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("f.woff"), "font/woff");
  EXPECT_EQ(content_type_for("f.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("f.ttf"), "font/ttf");
  EXPECT_EQ(content_type_for("f.eot"), "application/vnd.ms-fontobject");
  EXPECT_EQ(content_type_for("logo.png"), "image/png");
  EXPECT_EQ(content_type_for("p.jpg"), "image/jpeg");
  EXPECT_EQ(content_type_for("p.jpeg"), "image/jpeg");
  EXPECT_EQ(content_type_for("favicon.ico"), "image/x-icon");
  EXPECT_EQ(content_type_for("m.json"), "application/json");
  EXPECT_EQ(content_type_for("x.css.map"), "application/json");
  for (const char* other : {"a.html", "a.txt", "a", "a.CSS", "css/", "a.css.bak", "dir.js/x"}) {
    EXPECT_EQ(content_type_for(other), "") << other;
  }
}

TEST(static_validator, etag_from_size_and_time_and_if_none_match_lists) {
  EXPECT_EQ(static_etag(255, 4096), "\"ff-1000\"");
  EXPECT_NE(static_etag(255, 4096), static_etag(255, 4097));
  EXPECT_NE(static_etag(255, 4096), static_etag(254, 4096));
  const std::string tag = "\"ff-1000\"";
  EXPECT_TRUE(if_none_match_hits("\"ff-1000\"", tag));
  EXPECT_TRUE(if_none_match_hits("W/\"ff-1000\"", tag));  // weak comparison (RFC 9110 13.1.2)
  EXPECT_TRUE(if_none_match_hits("\"a\", \"ff-1000\"", tag));
  EXPECT_TRUE(if_none_match_hits("*", tag));
  EXPECT_FALSE(if_none_match_hits("", tag));
  EXPECT_FALSE(if_none_match_hits("\"ff-1001\"", tag));
  EXPECT_FALSE(if_none_match_hits("ff-1000", tag));
  EXPECT_FALSE(if_none_match_hits("\"a\", \"b\"", tag));
}

}  // namespace
}  // namespace varco::gateway
