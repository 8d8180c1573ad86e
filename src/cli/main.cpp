#include <iostream>

#include "cli/cli_app.hpp"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    return myo::cli::run(args, std::cout, std::cerr);
}
