// main.cpp - the Catch2 test runner's entry point (Catch2 2.x provides main()).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
