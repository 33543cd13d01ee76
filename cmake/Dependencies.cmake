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
endif()
# CAB/ZIP extraction and feed export (DESIGN.md §7), on both platforms. The MinGW build links the
# static libarchive and zlib that scripts/build-windows-deps makes; libarchive's hashes use CNG.
if(DRVAUDIT_WINDOWS_DEPS)
  add_library(drvaudit_zlib STATIC IMPORTED GLOBAL)
  set_target_properties(drvaudit_zlib PROPERTIES IMPORTED_LOCATION "${DRVAUDIT_WINDOWS_DEPS}/lib/libz.a")
  add_library(drvaudit_libarchive STATIC IMPORTED GLOBAL)
  set_target_properties(drvaudit_libarchive PROPERTIES
    IMPORTED_LOCATION "${DRVAUDIT_WINDOWS_DEPS}/lib/libarchive.a"
    INTERFACE_INCLUDE_DIRECTORIES "${DRVAUDIT_WINDOWS_DEPS}/include"
    INTERFACE_COMPILE_DEFINITIONS LIBARCHIVE_STATIC
    INTERFACE_LINK_LIBRARIES "drvaudit_zlib;bcrypt")
  add_library(LibArchive::LibArchive ALIAS drvaudit_libarchive)
else()
  find_package(LibArchive REQUIRED)
endif()

# A compiled library that Debian ships with a pkg-config file only, vcpkg with a CMake config, and the
# MinGW cross build as a static archive in DRVAUDIT_WINDOWS_DEPS: found the same way everywhere, as
# drvaudit::NAME.
#   drvaudit_find_library(NAME PACKAGE <config package> TARGETS <config targets> PKG_CONFIG <module>
#                         STATIC_DEFINE <definition a static Windows archive needs>)
function(drvaudit_find_library name)
  cmake_parse_arguments(arg "" "PACKAGE;PKG_CONFIG;STATIC_DEFINE" "TARGETS" ${ARGN})
  find_package(${arg_PACKAGE} CONFIG QUIET)
  foreach(target IN LISTS arg_TARGETS)
    if(TARGET ${target})
      add_library(drvaudit::${name} ALIAS ${target})
      return()
    endif()
  endforeach()
  if(DRVAUDIT_WINDOWS_DEPS)
    add_library(drvaudit_${name} STATIC IMPORTED GLOBAL)
    set_target_properties(drvaudit_${name} PROPERTIES
      IMPORTED_LOCATION "${DRVAUDIT_WINDOWS_DEPS}/lib/lib${name}.a"
      INTERFACE_INCLUDE_DIRECTORIES "${DRVAUDIT_WINDOWS_DEPS}/include"
      INTERFACE_COMPILE_DEFINITIONS "${arg_STATIC_DEFINE}")
  else()
    string(TOUPPER ${name} prefix)
    pkg_check_modules(${prefix} REQUIRED IMPORTED_TARGET GLOBAL ${arg_PKG_CONFIG})
    add_library(drvaudit_${name} INTERFACE)
    target_link_libraries(drvaudit_${name} INTERFACE PkgConfig::${prefix})
  endif()
  add_library(drvaudit::${name} ALIAS drvaudit_${name})
endfunction()

drvaudit_find_library(sodium PACKAGE sodium TARGETS unofficial-sodium::sodium sodium PKG_CONFIG libsodium
                      STATIC_DEFINE SODIUM_STATIC)
# utf8proc: display widths (East Asian wide, emoji, combining marks) for tables.
drvaudit_find_library(utf8proc PACKAGE utf8proc TARGETS utf8proc::utf8proc utf8proc PKG_CONFIG libutf8proc
                      STATIC_DEFINE UTF8PROC_STATIC)

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

# simdjson: the fleet reads thousands of large report files (On-Demand parsing).
drvaudit_find_library(simdjson PACKAGE simdjson TARGETS simdjson::simdjson PKG_CONFIG simdjson)

# PostgreSQL for large fleets: libpq where it is found (Debian's libpq-dev); the MinGW cross build
# goes without it.
if(NOT DRVAUDIT_WINDOWS_DEPS)
  find_package(PostgreSQL)
endif()
set(DRVAUDIT_HAVE_POSTGRESQL ${PostgreSQL_FOUND})
