# tconv_add_gtests(TARGET [gtest_discover_tests options...]): registers a GoogleTest binary
# with CTest, one ctest per test, except the abstract backend conformance suites (thousands
# of tiny parameterized cases): those run as one ctest per binary, so that CTest does not
# spend minutes starting a process per case. A failure still names the case in the output.
function(tconv_add_gtests target)
  gtest_discover_tests(${target} DISCOVERY_TIMEOUT 120 TEST_FILTER "-*Conformance.*" ${ARGN})
  add_test(NAME ${target}.conformance COMMAND ${target} --gtest_filter=*Conformance.* --gtest_brief=1)
  set_tests_properties(${target}.conformance PROPERTIES TIMEOUT 1200)
endfunction()
