# Debian ships no CMake package files for CAF or SOCI, so they are found by
# header and library name and wrapped as imported targets.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
find_package(spdlog REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(Boost REQUIRED COMPONENTS unit_test_framework)

function(xmlshred_import_library target header library)
  find_path(${target}_INCLUDE_DIR ${header} REQUIRED)
  find_library(${target}_LIBRARY ${library} REQUIRED)
  add_library(${target} UNKNOWN IMPORTED)
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION ${${target}_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${${target}_INCLUDE_DIR})
endfunction()

xmlshred_import_library(caf_core caf/all.hpp caf_core)
set_property(TARGET caf_core PROPERTY INTERFACE_LINK_LIBRARIES Threads::Threads)
xmlshred_import_library(soci_core soci/soci.h soci_core)
xmlshred_import_library(soci_sqlite3 soci/sqlite3/soci-sqlite3.h soci_sqlite3)
xmlshred_import_library(soci_postgresql soci/postgresql/soci-postgresql.h
                        soci_postgresql)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
set_property(TARGET soci_sqlite3 PROPERTY INTERFACE_LINK_LIBRARIES
             soci_core PkgConfig::SQLITE3)
set_property(TARGET soci_postgresql PROPERTY INTERFACE_LINK_LIBRARIES
             soci_core PkgConfig::LIBPQ)

# Header-only helpers: toml++ and CLI11 install plain headers on Debian.
find_path(TOMLPP_INCLUDE_DIR toml++/toml.h REQUIRED)
find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
