// `ganvas [--headless] ...`: the visualizer, in a window or offscreen.
#pragma once

namespace ganvas::cli {

// Runs the visualizer with the options in argv[first..argc); returns the exit status.
int run_visualizer(int argc, char** argv, int first);

}  // namespace ganvas::cli
