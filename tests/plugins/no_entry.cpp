// A shared library that is no ganvas plugin: it lacks the entry point (plugin loading tests).
extern "C" __attribute__((visibility("default"))) int some_other_function() { return 42; }
