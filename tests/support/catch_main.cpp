// The Catch2 v2 runner for builds without Debian's prebuilt Catch2WithMain (the MinGW build).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
