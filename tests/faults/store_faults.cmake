# Store and signal faults (issue 5): Redis killed and restarted under load, SIGHUP and SIGTERM
# under load, two instances sharing one Redis, an audit log the ACS cannot write. The real varco
# binary, a redis-server each test starts itself, the demo SPID IdP (pysaml2) and echo upstreams
# on loopback.
add_executable(varco_faults_store_tests
  audit_unwritable_test.cpp
  store_held_upstream.cpp
  store_load.cpp
  store_redis_outage_test.cpp
  store_signals_test.cpp
  store_stack.cpp
  store_two_instances_test.cpp
)
target_include_directories(varco_faults_store_tests PRIVATE ${CMAKE_SOURCE_DIR})
target_compile_definitions(varco_faults_store_tests PRIVATE
  VARCO_BIN_DEFAULT="$<TARGET_FILE:varco>"
  VARCO_SAML_TESTDATA="${CMAKE_SOURCE_DIR}/tests/unit/saml/testdata")
target_link_libraries(varco_faults_store_tests PRIVATE
  varco_test_support varco_session GTest::gtest_main
  Boost::json Boost::headers OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
add_dependencies(varco_faults_store_tests varco)
gtest_discover_tests(varco_faults_store_tests
  TEST_PREFIX "faults."
  DISCOVERY_TIMEOUT 60
  PROPERTIES TIMEOUT 300 LABELS faults)
