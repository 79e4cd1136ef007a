// A line chart for the panels: a title, a y scale, step numbers on the x axis, and the step and
// value under the mouse.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/chart_history.h"

namespace ganvas {

struct ChartHover {
  bool active = false;
  float step = 0;
  float value = 0;
};

struct ChartRange {
  float lo = 0, hi = 1;
  bool fit = false;  // fit the range to the data (losses); else fixed (probabilities)
  bool log = false;  // a logarithmic y axis (positive values; fitted to the data)
};

// Another line drawn over a chart, e.g. a run compared with the one shown: its own colour (RGBA as
// Dear ImGui packs it) and name for the legend.
struct ChartLine {
  const std::vector<float>* steps = nullptr;
  const std::vector<float>* values = nullptr;
  uint32_t colour = 0;
  std::string name;
};

// Draws `values` against `steps` (same length) in the panel's full width and `height` pixels.
// `empty_text` stands in the plot when there is nothing to draw; `help`, when given, is the tooltip of
// a "(?)" after the title (remembered as "<title> (?)"). Returns what the mouse is over.
ChartHover line_chart(const char* title, const std::vector<float>& steps, const std::vector<float>& values,
                      ChartRange range, float height, const char* empty_text, const char* help = nullptr,
                      const std::vector<ChartLine>& others = {});
// The colour of the chart's own line, for a legend beside other lines.
uint32_t chart_line_colour();

}  // namespace ganvas
