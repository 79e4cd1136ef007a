// SIGINT and SIGTERM as a request to stop cleanly: the first sets a flag that long loops check (they
// finish the step, finalize their files and exit 0); a second ends the process at once.
#pragma once

namespace ganvas {

// Installs the handlers for SIGINT and SIGTERM (once per process).
void install_stop_signals();

// Whether a stop was asked for since install_stop_signals().
bool stop_requested();

}  // namespace ganvas
