#!/usr/bin/env bash
# Proves that the carried dependencies in .deps/ are enough: a tiny CMake project finds
# yaml-cpp, CLI11, nlohmann-json and GoogleTest there with /usr's CMake packages ignored,
# compiles against their headers, links, and runs under LD_LIBRARY_PATH=.deps/... . Runs in
# a minute here (after fetch_deps.sh) and first thing on the GPU machine (run_all.sh build).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
deps=${TCONV_DEPS:-$repo/.deps}
[[ -d $deps/root ]] || { echo "check_deps: $deps/root missing: run tools/gpu/fetch_deps.sh on a networked machine"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

cat >"$dir/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(tconv_deps_check CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(GTest REQUIRED)
add_executable(deps_check main.cpp)
target_link_libraries(deps_check PRIVATE yaml-cpp CLI11::CLI11 nlohmann_json::nlohmann_json GTest::gtest_main)
CMAKE
cat >"$dir/main.cpp" <<'CPP'
#include <CLI/CLI.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>
TEST(CarriedDeps, EachLibraryWorks) {
  EXPECT_EQ(YAML::Load("a: 3")["a"].as<int>(), 3);
  EXPECT_EQ(nlohmann::json::parse(R"({"b": 4})")["b"].get<int>(), 4);
  CLI::App app{"check"};
  int n = 0;
  app.add_option("-n", n);
  const char* argv[] = {"check", "-n", "5"};
  app.parse(3, argv);
  EXPECT_EQ(n, 5);
}
CPP

cmake -S "$dir" -B "$dir/build" -DCMAKE_PREFIX_PATH="$deps/root/usr" -DCMAKE_IGNORE_PREFIX_PATH=/usr >"$dir/log" 2>&1 ||
  { cat "$dir/log"; exit 1; }
cmake --build "$dir/build" >>"$dir/log" 2>&1 || { cat "$dir/log"; exit 1; }
export LD_LIBRARY_PATH="$deps/root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
ldd "$dir/build/deps_check" | grep -E 'yaml-cpp' || true
"$dir/build/deps_check"
echo "check_deps: yaml-cpp, CLI11, nlohmann-json, GoogleTest from $deps work"
