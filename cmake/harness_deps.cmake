# Libraries the harness links, all from Debian packages (.ci/deps installs them).
pkg_check_modules(YAML REQUIRED IMPORTED_TARGET yaml-0.1)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
find_package(Threads REQUIRED)
target_link_libraries(cf_harness PUBLIC PkgConfig::YAML PkgConfig::PCRE2 PkgConfig::JANSSON Threads::Threads m)
