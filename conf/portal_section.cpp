// The `portal:` section: where the Area Riservata's static files come from.
#include "conf/sections.hpp"

#include <filesystem>
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

}  // namespace

void read_portal(load_context& ctx, const located& at, portal& out) {
  if (!at.present()) return;
  out.enabled = true;
  map_reader map(ctx.diag, at, {"static_root", "assets_dir"});
  read_file_setting(ctx, map, "static_root", out.static_root, true, node_modules_problem);
  read_file_setting(ctx, map, "assets_dir", out.assets_dir, true, directory_problem);
}

}  // namespace varco::conf::detail
