/* CF_ASAN is defined in AddressSanitizer builds (gcc's __SANITIZE_ADDRESS__, clang's
 * __has_feature), where memory limits cannot be applied: ASan reserves terabytes of address
 * space for its shadow. */
#ifndef CF_ASAN_H
#define CF_ASAN_H

#if defined(__SANITIZE_ADDRESS__)
#define CF_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CF_ASAN 1
#endif
#endif

#endif
