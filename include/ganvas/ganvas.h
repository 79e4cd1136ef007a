/* ganvas's C API: the MNIST GAN training live inside a host program, with its digit grid, the
 * explorer's strip and the explorer's image rendered into the host's GL textures or copied into
 * host memory.
 *
 * Three lanes:
 *   - Control calls (create, destroy, training, learning rates, anchors, t, checkpoints, statistics)
 *     may come from any thread.
 *   - The "new frame" callback runs on ganvas's training thread; it may only set a flag.
 *   - Render calls (ganvas_render_*) run on the host's render thread with the host's GL context
 *     current. ganvas never creates, makes current or swaps a context; it loads GL through the
 *     host's get_proc_address and restores every piece of GL state it touches (listed at
 *     ganvas_render_to_texture).
 *
 * Results are int32: GANVAS_OK (0) or a negative GANVAS_ERROR_*; ganvas_result_string names each,
 * and ganvas_last_error says what went wrong in a context's latest failed call. No C++ exception
 * crosses this boundary.
 *
 * Versioning: GANVAS_API_VERSION is the version this header describes, ganvas_api_version() the
 * library's. Structs passed in carry struct_size and only ever grow at the end; a function whose
 * meaning changes gets a new name, never a new signature.
 */
#ifndef GANVAS_GANVAS_H
#define GANVAS_GANVAS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(GANVAS_BUILDING_LIBRARY)
#define GANVAS_API __attribute__((visibility("default")))
#else
#define GANVAS_API
#endif

#define GANVAS_API_VERSION 3 /* 2: ganvas_render_to_texture_rows; 3: run folders (create_info.run_dir, ganvas_save_run) */

enum {
  GANVAS_OK = 0,
  GANVAS_ERROR_INVALID_ARGUMENT = -1, /* a null pointer, a size or value out of range */
  GANVAS_ERROR_INVALID_HANDLE = -2,   /* not a live context (null, or destroyed) */
  GANVAS_ERROR_UNSUPPORTED = -3,      /* a struct_size from a newer header, or a feature not built in */
  GANVAS_ERROR_FILE = -4,             /* a checkpoint or data file could not be read or written */
  GANVAS_ERROR_GL = -5,               /* no current GL context, GL too old, a texture of the wrong size
                                         or format, or a GL call failed */
  GANVAS_ERROR_STATE = -6,            /* a call in the wrong order (render before attach, training without data) */
  GANVAS_ERROR_INTERNAL = -7          /* anything else; ganvas_last_error says what */
};

enum { GANVAS_DEVICE_AUTO = 0, GANVAS_DEVICE_CPU = 1, GANVAS_DEVICE_CUDA = 2 };

/* What can be rendered or read: the n x n digit grid, the strip from anchor A to B, the explorer's
 * point. Each is a block of 28 x 28 images: grid n x n, strip `strip` x 1, point 1 x 1. */
enum { GANVAS_VIEW_GRID = 0, GANVAS_VIEW_STRIP = 1, GANVAS_VIEW_POINT = 2 };

enum { GANVAS_FORMAT_RGBA8 = 0, GANVAS_FORMAT_FLOAT = 1 };

/* Which image row a texture's row 0 holds (ganvas_render_to_texture_rows). */
enum { GANVAS_ROWS_BOTTOM_FIRST = 0, GANVAS_ROWS_TOP_FIRST = 1 };

enum { GANVAS_LOG_INFO = 0, GANVAS_LOG_WARNING = 1, GANVAS_LOG_ERROR = 2 };

/* A context's handle. It is a token, not an address (never dereference it): once its context is
 * destroyed it stays invalid (GANVAS_ERROR_INVALID_HANDLE) for good, and never names a context created
 * after. No handle is NULL. */
typedef struct ganvas_context ganvas_context;

typedef void (*ganvas_log_fn)(void* user, int32_t level, const char* message);
/* Called on the training thread when new weights are published: set a flag, nothing more. */
typedef void (*ganvas_frame_fn)(void* user);
/* The host's GL loader, e.g. a wrapper around glfwGetProcAddress or eglGetProcAddress. */
typedef void* (*ganvas_get_proc_address_fn)(void* user, const char* name);

typedef struct ganvas_create_info {
  uint32_t struct_size;        /* sizeof(ganvas_create_info) */
  const char* data_dir;        /* MNIST's IDX files; NULL: no training, the model is explored only */
  const char* checkpoint;      /* start from this file; NULL: fresh weights (without data: the bundled model) */
  uint64_t seed;               /* weights and the grid's latents */
  int32_t device;              /* GANVAS_DEVICE_* */
  int32_t grid;                /* cells per side, 2..16; 0: 6 */
  int32_t strip;               /* images from A to B, 2..32; 0: 8 */
  ganvas_log_fn log;           /* NULL: messages are dropped (nothing goes to stderr) */
  void* log_user;
  ganvas_frame_fn on_new_weights;
  void* frame_user;
  /* Since version 3 (a version-2 struct_size leaves them out: no run folder). A run folder, as
   * `ganvas train --out DIR` and the window keep one: one that holds a run is reopened (weights,
   * Adam's state, step, charts; checkpoint is then left out); another becomes this context's run,
   * saved every autosave_seconds of training (0: 300), by ganvas_save_run and by ganvas_destroy, so a
   * host's run survives the host. NULL: none. follow 1: show the run another process trains in
   * run_dir instead, taking in each checkpoint it writes (nothing trains here). */
  const char* run_dir;
  int32_t follow;
  int32_t autosave_seconds;
} ganvas_create_info;

typedef struct ganvas_stats {
  uint32_t struct_size; /* sizeof(ganvas_stats), set by the caller */
  uint64_t step;
  float gen_loss, disc_loss, d_real, d_fake; /* of the latest step; 0 before any */
  double steps_per_second;
  int32_t training;     /* 1 while training runs freely */
  int32_t has_data;     /* 0: the model can be explored, not trained */
} ganvas_stats;

GANVAS_API int32_t ganvas_api_version(void);
GANVAS_API const char* ganvas_result_string(int32_t result);

/* Control lane. */
GANVAS_API int32_t ganvas_create(const ganvas_create_info* info, ganvas_context** out);
/* Must not race other calls on the same context. */
GANVAS_API int32_t ganvas_destroy(ganvas_context* context);
/* The message of the context's latest failed call ("" when none), as a copy that stays valid until
 * this thread's next ganvas_last_error. */
GANVAS_API const char* ganvas_last_error(ganvas_context* context);
/* running 1: training runs freely. running 0 pauses it and cancels the steps ganvas_train_steps queued
 * that have not run (a step under way finishes). */
GANVAS_API int32_t ganvas_set_training(ganvas_context* context, int32_t running);
/* Queues n >= 0 steps, run even while paused; any n up to INT32_MAX is fine. They run in chunks of a
 * few milliseconds, each published (ganvas_get_stats shows the progress), and a save, a load or other
 * steps queued meanwhile run between chunks, so nothing waits long behind a large n: a save or a load
 * takes the weights of its moment, so call ganvas_wait first to save after the steps. A pause (by
 * ganvas_set_training, or when the weights stop being finite) cancels what has not run. */
GANVAS_API int32_t ganvas_train_steps(ganvas_context* context, int32_t n);
/* Blocks until every step ganvas_train_steps queued before this call has run or was cancelled, with
 * the stats and views showing them. Steps queued after the call and free training are not waited for:
 * it returns while training runs on, whatever another thread does. While training is paused it also
 * waits for the step that was under way at the pause to be published, so the weights then stay put
 * until training resumes or steps are asked for. */
GANVAS_API int32_t ganvas_wait(ganvas_context* context);
GANVAS_API int32_t ganvas_set_learning_rates(ganvas_context* context, float generator, float discriminator);
GANVAS_API int32_t ganvas_get_stats(ganvas_context* context, ganvas_stats* stats);
GANVAS_API int32_t ganvas_load_checkpoint(ganvas_context* context, const char* path);
GANVAS_API int32_t ganvas_save_checkpoint(ganvas_context* context, const char* path);
/* Saves the run into create_info.run_dir now, when it trained since its last save (GANVAS_OK either
 * way); GANVAS_ERROR_STATE without a run folder, or while following one. Version 3. */
GANVAS_API int32_t ganvas_save_run(ganvas_context* context);
/* The latent width (100 for the tutorial's model). */
GANVAS_API int32_t ganvas_noise_width(ganvas_context* context, int32_t* width);
/* Anchor 0 (A) or 1 (B) of the explorer: `count` must be the noise width, and every value finite. */
GANVAS_API int32_t ganvas_set_anchor(ganvas_context* context, int32_t which, const float* z, int32_t count);
GANVAS_API int32_t ganvas_set_grid_anchor(ganvas_context* context, int32_t which, int32_t cell);
/* t in [0, 1] on the path from A to B; the explorer's point moves there. */
GANVAS_API int32_t ganvas_set_t(ganvas_context* context, float t);
GANVAS_API int32_t ganvas_get_point(ganvas_context* context, float* z, int32_t count);

/* A click in a view's texture coordinates (u, v in [0, 1], v = 0 at the bottom, as GL samples): on
 * the grid, button 0 makes the digit under it anchor A and button 1 anchor B; on the strip, t moves to
 * the image clicked; on the point's view it does nothing. Input stays the host's: call it when the
 * host decides a click landed on a ganvas view. */
GANVAS_API int32_t ganvas_pointer_click(ganvas_context* context, int32_t view, float u, float v, int32_t button);

/* Renderer-neutral: a view's pixels into host memory, any thread. RGBA8: 4 bytes a pixel; FLOAT: one
 * float in [0, 1] a pixel (the generator's output, not inverted). Width and height are set first;
 * out_bytes must hold width * height pixels. Digits are black on white (the tutorial's look) unless
 * `inverted` is 0. */
GANVAS_API int32_t ganvas_view_size(ganvas_context* context, int32_t view, int32_t* width, int32_t* height);
GANVAS_API int32_t ganvas_read_view(ganvas_context* context, int32_t view, int32_t format, int32_t inverted, void* out,
                                    size_t out_bytes);

/* Render lane: the host's render thread, its GL context (4.5 core) current. Attaching chooses how the
 * images reach the host's textures and logs it (GANVAS_LOG_INFO): written by the GPU through CUDA-GL
 * interop when training runs on CUDA and the context is NVIDIA's, else uploaded from the CPU. */
GANVAS_API int32_t ganvas_render_attach(ganvas_context* context, ganvas_get_proc_address_fn get_proc_address,
                                        void* user);
/* Draws a view into the host's RGBA8 2-D texture, which must be exactly ganvas_view_size; the
 * texture's row 0 is the image's bottom row, as GL samples textures (v = 0 at the bottom). It draws
 * whatever the host's culling, depth test, colour mask or polygon mode. GL state touched and
 * restored: the draw framebuffer binding, the current program and vertex array, the shader-storage
 * buffer at index 0 (with its range) and the generic binding, the viewport, the scissor box and test,
 * the clear colour, the colour mask, the polygon mode, and blending, face culling, depth testing and
 * rasterizer discard. GL errors the host left pending are cleared first. */
GANVAS_API int32_t ganvas_render_to_texture(ganvas_context* context, int32_t view, uint32_t texture, int32_t inverted);
/* The same, with the texture's row 0 holding the image's bottom row (GANVAS_ROWS_BOTTOM_FIRST, as
 * ganvas_render_to_texture) or its top row (GANVAS_ROWS_TOP_FIRST: as ganvas_read_view's rows, and as
 * engines that upload images row by row from the top sample them, OGRE among them). */
GANVAS_API int32_t ganvas_render_to_texture_rows(ganvas_context* context, int32_t view, uint32_t texture,
                                                 int32_t inverted, int32_t rows);
/* Frees ganvas's GL objects; call before the host's context goes away, and before ganvas_destroy
 * (a context destroyed while attached leaves its few GL objects to the host's context). */
GANVAS_API int32_t ganvas_render_detach(ganvas_context* context);

#ifdef __cplusplus
}
#endif

#endif /* GANVAS_GANVAS_H */
