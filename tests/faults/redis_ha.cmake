# Redis Sentinel failover and Redis Cluster under the real varco binary.
add_executable(varco_faults_redis_ha_tests
  redis_ha_test.cpp
)
target_include_directories(varco_faults_redis_ha_tests PRIVATE ${CMAKE_SOURCE_DIR})
target_link_libraries(varco_faults_redis_ha_tests PRIVATE
  varco_test_support varco_session varco_redis varco_conf GTest::gtest_main
  Boost::json Boost::headers OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
add_dependencies(varco_faults_redis_ha_tests varco)
gtest_discover_tests(varco_faults_redis_ha_tests
  TEST_PREFIX "faults."
  DISCOVERY_TIMEOUT 60
  PROPERTIES TIMEOUT 180 LABELS faults)
