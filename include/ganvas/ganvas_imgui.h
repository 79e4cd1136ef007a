/* Optional: ganvas's control panel inside a host's own Dear ImGui frames (libganvas_imgui.so, C++).
 * For hosts built with the Dear ImGui version ganvas was built with (Debian 12's 1.86): attaching
 * checks the version and the sizes of ImGui's shared structs, and refuses anything else.
 *
 *   GANVAS_IMGUI_ATTACH(gan);          once, with the host's ImGui context current
 *   ... ImGui::NewFrame(); ganvas_imgui_draw(gan); ... ImGui::Render();   every frame
 *   ganvas_imgui_detach(gan);          before ganvas_destroy
 */
#ifndef GANVAS_GANVAS_IMGUI_H
#define GANVAS_GANVAS_IMGUI_H

#include <stddef.h>
#include <stdint.h>

#include "ganvas/ganvas.h"

#ifdef __cplusplus
extern "C" {
#endif

GANVAS_API int32_t ganvas_imgui_attach(ganvas_context* context, void* imgui_context, const char* imgui_version,
                                       size_t io_size, size_t draw_vert_size);
/* Draws the "ganvas" window: Play/Pause, Step, the learning rates, t, the step and losses. */
GANVAS_API int32_t ganvas_imgui_draw(ganvas_context* context);
GANVAS_API int32_t ganvas_imgui_detach(ganvas_context* context);
/* Why this thread's latest ganvas_imgui_* call failed ("" when it did not). */
GANVAS_API const char* ganvas_imgui_last_error(void);

#ifdef __cplusplus
}
#define GANVAS_IMGUI_ATTACH(context) \
  ganvas_imgui_attach((context), ImGui::GetCurrentContext(), IMGUI_VERSION, sizeof(ImGuiIO), sizeof(ImDrawVert))
#endif

#endif /* GANVAS_GANVAS_IMGUI_H */
