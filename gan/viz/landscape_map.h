// D's landscape as the Insight tab draws it: the map of D's score over the data's PC1-PC2 plane, the
// real and fake images on it coloured by D's score of each image, its axes and its colour scale.
#pragma once

#include <cstdint>
#include <vector>

#include <imgui.h>

#include "gan/eval/insight.h"
#include "gan/viz/insight_worker.h"
#include "gan/viz/panel_image.h"

namespace ganvas {

// What the caption under the map says the map shows.
inline constexpr const char* kLandscapeCaption =
    "Background: D's score of the image at each point of the PC1-PC2 plane (a blend of the mean image and "
    "the two components, not a real digit). Dots: D's score of each image itself, real (white outline) or "
    "fake (pink outline).";

// D's score as a colour on its log-odds (probabilities near 0 or 1 still differ): purple where D
// says fake, grey at even odds, green where it says real.
void score_colour(float score, uint8_t* rgba);
ImU32 score_colour_u32(float score);
// The landscape's scores as RGBA8, rows from the top.
std::vector<uint8_t> landscape_rgba(const Landscape& landscape);

// The map at the cursor, at most `max_side` pixels square, with its axes, colour scale and caption.
// Remembered for tests: "D's landscape map", "PC1 axis", "PC2 axis", "Landscape colour scale",
// "Landscape caption".
void draw_landscape_map(const InsightViews& views, const PanelImage& map, float max_side);

}  // namespace ganvas
