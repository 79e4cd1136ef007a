// `ganvas [--headless] ...`: the visualizer, in a window or offscreen.
#pragma once

namespace ganvas::cli {

// Runs the visualizer with the options in argv[first..argc); returns the exit status.
int run_visualizer(int argc, char** argv, int first);

// `ganvas record`: a scripted video, rendered offscreen, every frame kept.
int run_record(int argc, char** argv);

}  // namespace ganvas::cli
