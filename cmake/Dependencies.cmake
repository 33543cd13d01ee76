# Every dependency is found through find_package (CMake config or module) or pkg-config, so the
# same build works with Debian's packages, a MinGW cross prefix or vcpkg.
find_package(PkgConfig)

find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
find_package(LibArchive REQUIRED)

# libsodium ships no CMake config on Debian; pkg-config is the portable way to find it.
find_package(sodium CONFIG QUIET)
if(NOT TARGET sodium AND NOT TARGET unofficial-sodium::sodium)
  pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
  add_library(drvaudit_sodium INTERFACE)
  target_link_libraries(drvaudit_sodium INTERFACE PkgConfig::SODIUM)
  add_library(drvaudit::sodium ALIAS drvaudit_sodium)
elseif(TARGET unofficial-sodium::sodium)
  add_library(drvaudit::sodium ALIAS unofficial-sodium::sodium)
else()
  add_library(drvaudit::sodium ALIAS sodium)
endif()

if(DRVAUDIT_BUILD_TESTS)
  find_package(Catch2 REQUIRED)
endif()
