// ganvas's version, as `ganvas --version` prints it and run folders record it. CMake's project()
// version is the same (CMakeLists.txt); tests/cli_test.sh checks that they agree.
#pragma once

namespace ganvas {

inline constexpr const char* kVersion = "0.1.0";

}  // namespace ganvas
