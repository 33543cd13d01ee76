# Every dependency is found through find_package (CMake config or module) or pkg-config, so the
# same build works with Debian's packages and with vcpkg (native MSVC). The MinGW cross build from
# Linux is the exception for header-only libraries: Debian's CMake configs point at /usr/include,
# whose glibc headers MinGW must not see, so they come from the staging folder that
# scripts/build-windows-deps makes (DRVAUDIT_WINDOWS_DEPS).
find_package(PkgConfig)

if(DRVAUDIT_WINDOWS_DEPS)
  set(staged "${DRVAUDIT_WINDOWS_DEPS}/include")
  add_library(drvaudit_headers_fmt INTERFACE)
  target_include_directories(drvaudit_headers_fmt SYSTEM INTERFACE "${staged}")
  target_compile_definitions(drvaudit_headers_fmt INTERFACE FMT_HEADER_ONLY)
  add_library(fmt::fmt ALIAS drvaudit_headers_fmt)
  add_library(drvaudit_headers_spdlog INTERFACE)
  target_link_libraries(drvaudit_headers_spdlog INTERFACE drvaudit_headers_fmt)
  target_compile_definitions(drvaudit_headers_spdlog INTERFACE SPDLOG_FMT_EXTERNAL)
  add_library(spdlog::spdlog ALIAS drvaudit_headers_spdlog)
  foreach(lib nlohmann_json::nlohmann_json CLI11::CLI11)
    string(MAKE_C_IDENTIFIER "${lib}" name)
    add_library(${name} INTERFACE)
    target_include_directories(${name} SYSTEM INTERFACE "${staged}")
    add_library(${lib} ALIAS ${name})
  endforeach()
else()
  find_package(nlohmann_json 3.10 REQUIRED)
  find_package(fmt REQUIRED)
  find_package(spdlog REQUIRED)
  find_package(CLI11 REQUIRED)
endif()

find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
if(NOT WIN32)
  # SHA-1 for driver catalogs (libsodium has none); Windows uses CNG.
  find_package(OpenSSL REQUIRED COMPONENTS Crypto)
  # CAB/ZIP extraction on Linux (DESIGN.md §7); Windows uses its own cabinet and zip support.
  find_package(LibArchive REQUIRED)
endif()

# libsodium ships no CMake config on Debian; pkg-config is the portable way to find it.
find_package(sodium CONFIG QUIET)
if(TARGET unofficial-sodium::sodium)
  add_library(drvaudit::sodium ALIAS unofficial-sodium::sodium)
elseif(TARGET sodium)
  add_library(drvaudit::sodium ALIAS sodium)
elseif(DRVAUDIT_WINDOWS_DEPS)
  add_library(drvaudit_sodium STATIC IMPORTED)
  set_target_properties(drvaudit_sodium PROPERTIES IMPORTED_LOCATION "${DRVAUDIT_WINDOWS_DEPS}/lib/libsodium.a"
                                                   INTERFACE_INCLUDE_DIRECTORIES "${DRVAUDIT_WINDOWS_DEPS}/include"
                                                   INTERFACE_COMPILE_DEFINITIONS SODIUM_STATIC)
  add_library(drvaudit::sodium ALIAS drvaudit_sodium)
else()
  pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
  add_library(drvaudit_sodium INTERFACE)
  target_link_libraries(drvaudit_sodium INTERFACE PkgConfig::SODIUM)
  add_library(drvaudit::sodium ALIAS drvaudit_sodium)
endif()

# utf8proc: display widths (East Asian wide, emoji, combining marks) for tables. Debian ships only
# a pkg-config file; vcpkg ships a CMake config.
find_package(utf8proc CONFIG QUIET)
if(TARGET utf8proc::utf8proc)
  add_library(drvaudit::utf8proc ALIAS utf8proc::utf8proc)
elseif(TARGET utf8proc)
  add_library(drvaudit::utf8proc ALIAS utf8proc)
elseif(DRVAUDIT_WINDOWS_DEPS)
  add_library(drvaudit_utf8proc STATIC IMPORTED)
  set_target_properties(drvaudit_utf8proc PROPERTIES IMPORTED_LOCATION "${DRVAUDIT_WINDOWS_DEPS}/lib/libutf8proc.a"
                                                     INTERFACE_INCLUDE_DIRECTORIES "${DRVAUDIT_WINDOWS_DEPS}/include"
                                                     INTERFACE_COMPILE_DEFINITIONS UTF8PROC_STATIC)
  add_library(drvaudit::utf8proc ALIAS drvaudit_utf8proc)
else()
  pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
  add_library(drvaudit_utf8proc INTERFACE)
  target_link_libraries(drvaudit_utf8proc INTERFACE PkgConfig::UTF8PROC)
  add_library(drvaudit::utf8proc ALIAS drvaudit_utf8proc)
endif()

if(DRVAUDIT_BUILD_TESTS)
  if(DRVAUDIT_WINDOWS_DEPS)
    # Catch2 v2 is a single header; the runner's main is compiled once in tests/support.
    add_library(drvaudit_headers_catch2 INTERFACE)
    target_include_directories(drvaudit_headers_catch2 SYSTEM INTERFACE "${DRVAUDIT_WINDOWS_DEPS}/include")
    add_library(Catch2::Catch2 ALIAS drvaudit_headers_catch2)
  else()
    find_package(Catch2 REQUIRED)
  endif()
endif()
