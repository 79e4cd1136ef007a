// ThreadSanitizer's defaults for the test programs of the GANVAS_TSAN build, so they hold however the
// tests are started. Only code ganvas does not build is suppressed: Mesa's llvmpipe (swrast_dri.so)
// synchronizes its rasterizer threads in code ThreadSanitizer does not see, so the pixels its
// threads hand each other look like races.
extern "C" const char* __tsan_default_options() { return "halt_on_error=1:second_deadlock_stack=1"; }

extern "C" const char* __tsan_default_suppressions() { return "race:swrast_dri.so\n"; }
