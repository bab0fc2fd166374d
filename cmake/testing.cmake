# tconv_add_gtests(TARGET [gtest_discover_tests options...]): registers a GoogleTest binary
# with CTest, one ctest per test, except the abstract backend conformance suites (thousands
# of tiny parameterized cases): those run as one ctest per binary, so that CTest does not
# spend minutes starting a process per case, through tools/testing/gtest_survive.py, so that
# a crash in one case (a vendor library's), or a case still running after 300 s (a kernel that
# never returns), is reported by name and the cases after it still run. A failure names the
# case in the output.
find_package(Python3 COMPONENTS Interpreter REQUIRED)
function(tconv_add_gtests target)
  gtest_discover_tests(${target} DISCOVERY_TIMEOUT 120 TEST_FILTER "-*Conformance.*" ${ARGN})
  add_test(NAME ${target}.conformance
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/testing/gtest_survive.py --test-timeout=300
            $<TARGET_FILE:${target}> --gtest_filter=*Conformance.*)
  set_tests_properties(${target}.conformance PROPERTIES TIMEOUT 1200)
endfunction()
