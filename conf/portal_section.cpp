// The `portal:` section: where the Area Riservata's static files come from, and the legal texts
// varco serves itself.
#include "conf/sections.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace varco::conf::detail {
namespace {

std::string quote(const std::string& path) { return "\"" + path + "\""; }

std::optional<std::string> directory_problem(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) return quote(path) + " is not a directory";
  return std::nullopt;
}

// The npm install must have happened: checking one known file catches an empty or stale
// node_modules at load rather than as 404s for every page's stylesheet.
std::optional<std::string> node_modules_problem(const std::string& path) {
  if (auto problem = directory_problem(path)) return problem;
  const auto css =
      std::filesystem::path(path) / "bootstrap-italia/dist/css/bootstrap-italia.min.css";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(css, ec)) {
    return quote(path) +
           " has no bootstrap-italia/dist (run `npm ci` in web/, as scripts/test and "
           "scripts/demo do)";
  }
  return std::nullopt;
}

// A legal text is a few pages; a larger file is the wrong file (a PDF, a log).
constexpr std::uintmax_t max_legal_text_bytes = 256 * 1024;

std::optional<std::string> legal_text_problem(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return quote(path) + " is not a readable file";
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return "cannot read " + quote(path) + ": " + ec.message();
  if (size == 0) return quote(path) + " is empty";
  if (size > max_legal_text_bytes) return quote(path) + " is larger than 256 KiB";
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read " + quote(path);
  return std::nullopt;
}

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void read_legal_text(load_context& ctx, map_reader& map, const std::string& key, legal_text& out) {
  if (read_file_setting(ctx, map, key, out.file, false, legal_text_problem))
    out.text = read_whole(out.file);
  const std::string key_en = key + "_en";
  if (read_file_setting(ctx, map, key_en, out.file_en, false, legal_text_problem)) {
    out.text_en = read_whole(out.file_en);
    if (!map.has(key)) {
      located en = map.at(key_en);
      ctx.diag.add(en.line, en.path, "needs " + key + " (the Italian text comes first)");
    }
  }
}

}  // namespace

void read_portal(load_context& ctx, const located& at, portal& out) {
  if (!at.present()) return;
  out.enabled = true;
  map_reader map(ctx.diag, at,
                 {"static_root", "assets_dir", "logos_dir", "terms_file", "terms_file_en",
                  "privacy_file", "privacy_file_en", "brand"});
  located brand_at = map.at("brand");
  map_reader brand(ctx.diag, brand_at, {"name", "name_en", "url", "logo"});
  brand.string("name", out.brand.name);
  brand.string("name_en", out.brand.name_en);
  located url = brand.at("url");
  if (brand.string("url", out.brand.url) && !out.brand.url.starts_with("https://") &&
      !out.brand.url.starts_with("http://")) {
    ctx.diag.add(url.line, url.path, in_quotes(out.brand.url) + " is not an http(s):// URL");
  }
  brand.string("logo", out.brand.logo);
  read_file_setting(ctx, map, "static_root", out.static_root, true, node_modules_problem);
  read_file_setting(ctx, map, "assets_dir", out.assets_dir, true, directory_problem);
  read_file_setting(ctx, map, "logos_dir", out.logos_dir, false, directory_problem);
  read_legal_text(ctx, map, "terms_file", out.terms);
  read_legal_text(ctx, map, "privacy_file", out.privacy);
}

}  // namespace varco::conf::detail
