# The HTTP toolkit, the product route table and the telemetry (layer 5 of docs/architecture.md):
# socket-free building blocks, built and tested without the server.
# Included from gateway/CMakeLists.txt.
find_package(ZLIB REQUIRED)  # gzip of varco's own pages (http/gzip_page.cpp)
add_library(varco_gateway_support STATIC
  ${CMAKE_CURRENT_LIST_DIR}/http/cookies.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/error_page.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/form_body.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/forwarded.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/gateway_cookies.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/gzip_page.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/hop_by_hop.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/path_normalizer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/request_fields.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/request_id.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/response_scan.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/return_path.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/redirect.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/security_headers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/url_encoding.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/wire_format.cpp
  ${CMAKE_CURRENT_LIST_DIR}/routing/reserved_routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/routing/route_table.cpp
  ${CMAKE_CURRENT_LIST_DIR}/telemetry/access_log.cpp
  ${CMAKE_CURRENT_LIST_DIR}/telemetry/metrics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/telemetry/reopenable_file_sink.cpp
)
target_include_directories(varco_gateway_support PUBLIC ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/generated)
target_link_libraries(varco_gateway_support
  PUBLIC varco_base varco_conf varco_session Boost::url Boost::json Boost::headers spdlog::spdlog OpenSSL::Crypto Threads::Threads
  PRIVATE ZLIB::ZLIB)
