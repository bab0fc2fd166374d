# End-to-end checks of tconv report / compare / merge on a tiny suite:
#   cmake -DTCONV=path/to/tconv -DSUITE=tiny.yaml -DWORK=dir -P e2e_test.cmake
# - tconv run writes report.html; tconv report re-renders it; a missing run exits 2;
# - compare of a run with itself exits 0; a planted bug (the mutant_crop test backend
#   matched against naive) exits 1 and names the new failures;
# - four shards merged give a report and the same rows as the unsharded run.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(tconv expected_rc)
  execute_process(COMMAND ${TCONV} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL expected_rc)
    message(FATAL_ERROR "tconv ${ARGN}: exit ${rc}, expected ${expected_rc}\n${out}\n${err}")
  endif()
  set(last_output "${out}${err}" PARENT_SCOPE)
endfunction()

function(expect_file path)
  if(NOT EXISTS ${path})
    message(FATAL_ERROR "missing ${path}")
  endif()
endfunction()

function(expect_output text)
  string(FIND "${last_output}" "${text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected '${text}' in:\n${last_output}")
  endif()
endfunction()

tconv(0 run ${SUITE} --backends naive --out ${WORK}/base)
expect_file(${WORK}/base/report.html)
file(REMOVE ${WORK}/base/report.html)
tconv(0 report ${WORK}/base)
expect_file(${WORK}/base/report.html)
tconv(2 report ${WORK}/no-such-run)

tconv(0 compare ${WORK}/base ${WORK}/base --html ${WORK}/self_compare.html)
expect_output("no regression")
expect_file(${WORK}/self_compare.html)

tconv(1 run ${SUITE} --test-backends --backends mutant_crop --out ${WORK}/mutant)
tconv(1 compare ${WORK}/base ${WORK}/mutant --match mutant_crop=naive)
expect_output("NEW FAILURE")
expect_output("REGRESSION")
expect_file(${WORK}/mutant/compare.html)
tconv(2 compare ${WORK}/base ${WORK}/mutant --ratio-factor 0.5)

set(shards "")
foreach(k 0 1 2 3)
  tconv(0 run ${SUITE} --backends naive --shard ${k}/4 --out ${WORK}/shard${k})
  list(APPEND shards ${WORK}/shard${k})
endforeach()
tconv(0 merge ${WORK}/merged ${shards})
expect_file(${WORK}/merged/report.html)
tconv(0 compare ${WORK}/base ${WORK}/merged --ignore-perf)
expect_output(" 0 added, 0 removed")
expect_output("other outcome changes                   0")
message(STATUS "tconv report / compare / merge: all checks passed")
