#include "gateway/pages/legal_text.hpp"

#include "base/html.hpp"

#include <vector>

namespace varco::gateway {
namespace {

// Link targets a legal text may use: the web, e-mail, and varco's own pages. Anything else
// (javascript:, data:, protocol-relative //host) is shown as plain text.
bool safe_link_target(std::string_view url) {
  if (url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:"))
    return true;
  return url.starts_with('/') && !url.starts_with("//");
}

void append_inline(std::string& out, std::string_view text);

// [text](url) at the start of `text`: how many characters it takes, 0 when it is not one.
std::size_t append_link(std::string& out, std::string_view text) {
  const auto close = text.find("](");
  if (close == std::string_view::npos) return 0;
  const auto end = text.find(')', close + 2);
  if (end == std::string_view::npos) return 0;
  const auto label = text.substr(1, close - 1);
  const auto url = text.substr(close + 2, end - close - 2);
  if (label.empty() || label.find('[') != std::string_view::npos || !safe_link_target(url))
    return 0;
  out += "<a href=\"" + base::escape_html(url) + "\">";
  append_inline(out, label);
  out += "</a>";
  return end + 1;
}

void append_inline(std::string& out, std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto rest = text.substr(i);
    if (rest.starts_with("**")) {
      const auto end = rest.find("**", 2);
      if (end != std::string_view::npos && end > 2) {
        out += "<strong>" + base::escape_html(rest.substr(2, end - 2)) + "</strong>";
        i += end + 2;
        continue;
      }
    }
    if (rest.front() == '[') {
      if (const auto taken = append_link(out, rest); taken > 0) {
        i += taken;
        continue;
      }
    }
    out += base::escape_html(rest.substr(0, 1));
    ++i;
  }
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

// "1. item" → "item"; empty when the line is not a numbered item.
std::string_view numbered_item(std::string_view line) {
  std::size_t digits = 0;
  while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') ++digits;
  if (digits == 0 || digits > 3 || !line.substr(digits).starts_with(". ")) return {};
  return trim(line.substr(digits + 2));
}

class html_builder {
 public:
  void heading(int level, std::string_view text) {
    close_block();
    const std::string tag = "h" + std::to_string(level);
    out_ += "<" + tag + ">";
    append_inline(out_, text);
    out_ += "</" + tag + ">\n";
  }
  void item(std::string_view list_tag, std::string_view text) {
    if (open_ != list_tag) {
      close_block();
      open_ = list_tag;
      out_ += "<" + std::string(list_tag) + ">\n";
    }
    out_ += "<li>";
    append_inline(out_, text);
    out_ += "</li>\n";
  }
  void text(std::string_view line) {
    if (open_ != "p") {
      close_block();
      open_ = "p";
      out_ += "<p>";
    } else {
      out_ += '\n';
    }
    append_inline(out_, line);
  }
  void close_block() {
    if (open_.empty()) return;
    out_ += open_ == "p" ? "</p>\n" : "</" + std::string(open_) + ">\n";
    open_ = {};
  }
  std::string take() {
    close_block();
    return std::move(out_);
  }

 private:
  std::string out_;
  std::string_view open_;  // "p", "ul", "ol" or empty
};

}  // namespace

std::string markdown_lite_to_html(std::string_view text) {
  html_builder html;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    const auto line = trim(text.substr(0, newline));
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    if (line.empty()) {
      html.close_block();
    } else if (line.starts_with("### ")) {
      html.heading(4, trim(line.substr(4)));
    } else if (line.starts_with("## ")) {
      html.heading(3, trim(line.substr(3)));
    } else if (line.starts_with("# ")) {
      html.heading(2, trim(line.substr(2)));
    } else if (line.starts_with("- ") || line.starts_with("* ")) {
      html.item("ul", trim(line.substr(2)));
    } else if (const auto item = numbered_item(line); !item.empty()) {
      html.item("ol", item);
    } else {
      html.text(line);
    }
  }
  return html.take();
}

}  // namespace varco::gateway
