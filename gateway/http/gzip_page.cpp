#include "gateway/http/gzip_page.hpp"

#include <memory>
#include <string>
#include <zlib.h>

namespace varco::gateway {
namespace {

constexpr std::size_t min_bytes = 1024;

struct deflate_end {
  void operator()(z_stream* stream) const noexcept { deflateEnd(stream); }
};

}  // namespace

void gzip_page(boost::beast::http::response<boost::beast::http::string_body>& response) {
  namespace http = boost::beast::http;
  const std::string& body = response.body();
  if (body.size() < min_bytes || response.count(http::field::content_encoding) != 0) return;
  if (!response[http::field::content_type].starts_with("text/html")) return;

  z_stream stream{};
  // 16 + MAX_WBITS: a gzip header and trailer around the deflate data.
  if (deflateInit2(&stream, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return;
  const std::unique_ptr<z_stream, deflate_end> owner(&stream);
  std::string out(deflateBound(&stream, static_cast<uLong>(body.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  stream.avail_in = static_cast<uInt>(body.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  if (deflate(&stream, Z_FINISH) != Z_STREAM_END) return;
  out.resize(stream.total_out);
  response.body() = std::move(out);
  response.set(http::field::content_encoding, "gzip");
  response.set(http::field::vary, "Accept-Encoding");
  response.prepare_payload();
}

}  // namespace varco::gateway
