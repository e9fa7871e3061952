/* AddressSanitizer defaults for the parser targets that allocate nothing (fuzz_request,
 * fuzz_response). Their only heap traffic is libFuzzer's own copy of each input, made and freed
 * once per run of the target, so three ASan defaults cost time without finding anything there:
 * - max_malloc_fill_size=0: ASan fills every new block with 0xbe (up to 4 KiB) to make reads of
 *   uninitialized memory visible; libFuzzer overwrites the copy with the input at once.
 * - quarantine_size_mb=0: freed blocks normally wait in a 256 MiB quarantine to catch
 *   use-after-free; with no allocation in the target there is no use to catch, and cycling
 *   through the quarantine touches a fresh block (and page) on every run.
 * - malloc_context_size=0: ASan records the call stack of every allocation for its reports; the
 *   only allocation is that copy, always made in libFuzzer's RunOne, so the stack says nothing a
 *   report needs, and unwinding and storing it cost about 5% of fuzz_request's runs.
 * Bounds checking (redzones around the input copy and every global and stack array) is
 * unchanged. ASAN_OPTIONS in the environment still override these (docs/fuzzing.md "Speed"). */
const char *__asan_default_options(void);

/* Read by the ASan runtime at start-up; returns a static string. */
const char *__asan_default_options(void)
{
    return "max_malloc_fill_size=0:quarantine_size_mb=0:malloc_context_size=0";
}
