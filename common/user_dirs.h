// Files in the user's own folders, as the XDG base-directory rules place them.
#pragma once

#include <string>

namespace ganvas {

// $XDG_CONFIG_HOME/ganvas/NAME, else ~/.config/ganvas/NAME; "" when neither variable is set.
std::string user_config_file(const std::string& name);

// $XDG_DATA_HOME/ganvas/NAME, else ~/.local/share/ganvas/NAME; "" when neither variable is set.
std::string user_data_file(const std::string& name);

}  // namespace ganvas
