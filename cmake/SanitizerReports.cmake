# With CONFORM_SANITIZE, a sanitizer report fails the test that printed it, whatever its exit
# status: Criterion runs each test in a forked worker whose LeakSanitizer report, printed at the
# worker's exit after the result was sent, would otherwise go unnoticed (the syslog-ng pattern,
# ../shared/STYLE.md). tests/sanitizer_canary.c proves the expression catches such a report.
set(CF_SANITIZER_REPORT "ERROR: (LeakSanitizer|AddressSanitizer)|runtime error:")

# Applies CF_SANITIZER_REPORT as FAIL_REGULAR_EXPRESSION to every test of the calling directory
# (test properties can only be set where the tests were added).
function(cf_fail_on_sanitizer_reports)
  if(NOT CONFORM_SANITIZE)
    return()
  endif()
  get_property(tests DIRECTORY PROPERTY TESTS)
  if(tests)
    set_tests_properties(${tests} PROPERTIES FAIL_REGULAR_EXPRESSION "${CF_SANITIZER_REPORT}")
  endif()
endfunction()
