# Upstream and client faults (issue 5): the real varco binary in front of an upstream that dies,
# hangs, dribbles or resets, and clients that dribble, abort, send garbage or sit idle in their
# thousands — while a healthy client keeps being served and varco's fds and RSS stay bounded.
add_executable(varco_faults_network_tests
  network_fault_upstream.cpp
  network_harness.cpp
  upstream_faults_test.cpp
  client_faults_test.cpp
  client_flood_test.cpp
)
target_include_directories(varco_faults_network_tests PRIVATE ${CMAKE_SOURCE_DIR})
target_link_libraries(varco_faults_network_tests PRIVATE
  varco_test_support GTest::gtest_main
  Boost::json Boost::headers OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
add_dependencies(varco_faults_network_tests varco)
gtest_discover_tests(varco_faults_network_tests
  TEST_PREFIX "faults."
  DISCOVERY_TIMEOUT 60
  PROPERTIES TIMEOUT 300 LABELS faults)
