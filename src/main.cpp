#include "cli/app.hpp"

int main(int argc, char** argv) {
    return provcheck::run_cli(argc, argv);
}
