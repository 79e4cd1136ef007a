/* A host of its own that embeds ganvas through the C API alone: a GLFW window, libepoxy as its GL
 * loader, and a scene of its own in which the live digit grid turns on a panel. Space pauses and
 * resumes training, S takes one step, Esc quits.
 *
 *   ganvas-glfw-host [--data-dir DIR] [--checkpoint F] [--frames N] [--screenshot F.png] [--check]
 *
 * --check compares the grid ganvas drew into the host's texture with ganvas's CPU copy of it, and
 * the host's GL state before and after ganvas rendered; it exits 1 when either differs. */
#include <epoxy/gl.h>
#include <GLFW/glfw3.h>
#include <ganvas/ganvas.h>
#include <stb_image_write.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char* kVertex =
    "#version 450 core\n"
    "uniform float angle;\n"
    "out vec2 uv;\n"
    "void main() {\n"
    "  vec2 corner = vec2(gl_VertexID & 1, gl_VertexID >> 1);\n"
    "  uv = corner;\n"
    "  vec2 p = (corner - 0.5) * 1.4;\n"
    "  gl_Position = vec4(p.x * cos(angle), p.y, p.x * sin(angle) * 0.5 + 0.5, 1.0 + p.x * sin(angle) * 0.6);\n"
    "}\n";
static const char* kFragment =
    "#version 450 core\n"
    "uniform sampler2D grid;\n"
    "in vec2 uv;\n"
    "out vec4 color;\n"
    "void main() { color = texture(grid, uv) * vec4(0.9, 0.95, 1.0, 1.0); }\n";

static void* get_proc(void* user, const char* name) {
  (void)user;
  return (void*)glfwGetProcAddress(name);
}

static void log_message(void* user, int32_t level, const char* message) {
  (void)user;
  printf("ganvas %s: %s\n", level == GANVAS_LOG_ERROR ? "error" : "note", message);
}

/* Space pauses or resumes training, S steps once, Esc quits: on the press, not while held. */
static void on_key(GLFWwindow* window, int key, int scancode, int action, int mods) {
  (void)scancode;
  (void)mods;
  ganvas_context* gan = glfwGetWindowUserPointer(window);
  if (action != GLFW_PRESS) return;
  if (key == GLFW_KEY_ESCAPE) glfwSetWindowShouldClose(window, 1);
  if (key == GLFW_KEY_S) ganvas_train_steps(gan, 1);
  if (key == GLFW_KEY_SPACE) {
    ganvas_stats stats = {sizeof(ganvas_stats)};
    ganvas_get_stats(gan, &stats);
    ganvas_set_training(gan, !stats.training);
  }
}

static GLuint build_program(void) {
  GLuint program = glCreateProgram();
  const char* sources[2] = {kVertex, kFragment};
  const GLenum kinds[2] = {GL_VERTEX_SHADER, GL_FRAGMENT_SHADER};
  for (int i = 0; i < 2; ++i) {
    GLuint shader = glCreateShader(kinds[i]);
    glShaderSource(shader, 1, &sources[i], NULL);
    glCompileShader(shader);
    glAttachShader(program, shader);
    glDeleteShader(shader);
  }
  glLinkProgram(program);
  return program;
}

/* The grid in the texture against ganvas's own copy: the largest difference, 0..255. */
static int largest_difference(ganvas_context* gan, GLuint texture, int width, int height) {
  size_t bytes = (size_t)width * height * 4;
  unsigned char* drawn = malloc(bytes);
  unsigned char* cpu = malloc(bytes);
  glGetTextureImage(texture, 0, GL_RGBA, GL_UNSIGNED_BYTE, (GLsizei)bytes, drawn);
  ganvas_read_view(gan, GANVAS_VIEW_GRID, GANVAS_FORMAT_RGBA8, 1, cpu, bytes);
  int worst = 0;
  for (int y = 0; y < height; ++y) { /* the texture's row 0 is the image's bottom row */
    for (int x = 0; x < width * 4; ++x) {
      int d = abs(drawn[(size_t)(height - 1 - y) * width * 4 + x] - cpu[(size_t)y * width * 4 + x]);
      if (d > worst) worst = d;
    }
  }
  free(drawn);
  free(cpu);
  return worst;
}

/* The GL state the header promises to restore, as one comparable block. */
static void read_state(GLint state[16]) {
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &state[0]);
  glGetIntegerv(GL_CURRENT_PROGRAM, &state[1]);
  glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &state[2]);
  glGetIntegeri_v(GL_SHADER_STORAGE_BUFFER_BINDING, 0, &state[3]);
  glGetIntegerv(GL_VIEWPORT, &state[4]);
  glGetIntegerv(GL_SCISSOR_BOX, &state[8]);
  state[12] = glIsEnabled(GL_SCISSOR_TEST);
  state[13] = glIsEnabled(GL_BLEND);
  glGetIntegerv(GL_SHADER_STORAGE_BUFFER_BINDING, &state[14]);
  state[15] = 0;
}

struct options {
  const char* data_dir;
  const char* checkpoint;
  const char* screenshot;
  long frames;
  int check;
};

static int parse_options(int argc, char** argv, struct options* o) {
  memset(o, 0, sizeof(*o));
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--data-dir") && i + 1 < argc) o->data_dir = argv[++i];
    else if (!strcmp(argv[i], "--checkpoint") && i + 1 < argc) o->checkpoint = argv[++i];
    else if (!strcmp(argv[i], "--frames") && i + 1 < argc) o->frames = atol(argv[++i]);
    else if (!strcmp(argv[i], "--screenshot") && i + 1 < argc) o->screenshot = argv[++i];
    else if (!strcmp(argv[i], "--check")) o->check = 1;
    else return 0;
  }
  return 1;
}

static GLFWwindow* open_window(void) {
  if (!glfwInit()) return NULL;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 4);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 5);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  GLFWwindow* window = glfwCreateWindow(800, 600, "ganvas in a GLFW host", NULL, NULL);
  if (window) glfwMakeContextCurrent(window);
  return window;
}

static ganvas_context* start_ganvas(const struct options* o) {
  ganvas_create_info info = {sizeof(ganvas_create_info)};
  info.data_dir = o->data_dir;
  info.checkpoint = o->checkpoint;
  info.device = GANVAS_DEVICE_AUTO;
  info.log = log_message;
  ganvas_context* gan = NULL;
  int32_t result = ganvas_create(&info, &gan);
  if (result != GANVAS_OK) {
    fprintf(stderr, "ganvas_create: %s\n", ganvas_result_string(result));
    return NULL;
  }
  if (ganvas_render_attach(gan, get_proc, NULL) != GANVAS_OK) {
    fprintf(stderr, "ganvas_render_attach: %s\n", ganvas_last_error(gan));
    ganvas_destroy(gan);
    return NULL;
  }
  if (o->data_dir) ganvas_set_training(gan, 1);
  return gan;
}

/* The host's own scene: the grid's texture on a panel that swings back and forth. */
static void draw_scene(GLFWwindow* window, GLuint program, GLuint vertex_array, GLuint texture) {
  int width, height;
  glfwGetFramebufferSize(window, &width, &height);
  glViewport(0, 0, width, height);
  glClearColor(0.05f, 0.07f, 0.12f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  glUseProgram(program);
  glUniform1f(glGetUniformLocation(program, "angle"), 0.6f * sinf((float)glfwGetTime()));
  glBindTextureUnit(0, texture);
  glBindVertexArray(vertex_array);
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
}

static int write_screenshot(GLFWwindow* window, const char* path) {
  int width, height;
  glfwGetFramebufferSize(window, &width, &height);
  unsigned char* pixels = malloc((size_t)width * height * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels);
  stbi_flip_vertically_on_write(1);
  int written = stbi_write_png(path, width, height, 3, pixels, width * 3);
  free(pixels);
  if (written) printf("wrote %s\n", path);
  return written;
}

/* One frame: ganvas draws the grid into the host's texture (its GL state checked around the call),
 * then the host draws its scene. Returns 0 when ganvas failed or, with --check, changed the state. */
static int frame(ganvas_context* gan, GLFWwindow* window, GLuint texture, GLuint program, GLuint vertex_array, int check) {
  GLint before[16], after[16];
  read_state(before);
  if (ganvas_render_to_texture(gan, GANVAS_VIEW_GRID, texture, 1) != GANVAS_OK) {
    fprintf(stderr, "ganvas_render_to_texture: %s\n", ganvas_last_error(gan));
    return 0;
  }
  read_state(after);
  int ok = 1;
  if (check && memcmp(before, after, sizeof(before)) != 0) {
    printf("the host's GL state changed\n");
    ok = 0;
  }
  draw_scene(window, program, vertex_array, texture);
  return ok;
}

int main(int argc, char** argv) {
  struct options o;
  if (!parse_options(argc, argv, &o)) {
    fprintf(stderr, "usage: %s [--data-dir DIR] [--checkpoint F] [--frames N] [--screenshot F.png] [--check]\n", argv[0]);
    return 2;
  }
  GLFWwindow* window = open_window();
  if (!window) { fprintf(stderr, "no GL 4.5 window (is there a display?)\n"); return 1; }
  ganvas_context* gan = start_ganvas(&o);
  if (!gan) return 1;
  glfwSetWindowUserPointer(window, gan);
  glfwSetKeyCallback(window, on_key);
  int32_t width = 0, height = 0;
  ganvas_view_size(gan, GANVAS_VIEW_GRID, &width, &height);
  GLuint texture, vertex_array, program = build_program();
  glCreateTextures(GL_TEXTURE_2D, 1, &texture);
  glTextureStorage2D(texture, 1, GL_RGBA8, width, height);
  glTextureParameteri(texture, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glCreateVertexArrays(1, &vertex_array);
  int ok = 1;
  for (long n = 0; !glfwWindowShouldClose(window) && (o.frames == 0 || n < o.frames); ++n) {
    ok &= frame(gan, window, texture, program, vertex_array, o.check);
    if (o.frames != 0 && n == o.frames - 1) {
      if (o.check) {  /* paused, so the texture and the copy come from the same weights */
        ganvas_set_training(gan, 0);
        ganvas_wait(gan);
        ok &= ganvas_render_to_texture(gan, GANVAS_VIEW_GRID, texture, 1) == GANVAS_OK;
        int worst = largest_difference(gan, texture, width, height);
        printf("grid in the host's texture: largest difference from ganvas's CPU copy %d/255\n", worst);
        ok &= worst <= 1;
      }
      if (o.screenshot) ok &= write_screenshot(window, o.screenshot) != 0;
    }
    glfwSwapBuffers(window);
    glfwPollEvents();
  }
  ganvas_stats stats = {sizeof(ganvas_stats)};
  ganvas_get_stats(gan, &stats);
  printf("step %llu, G loss %.3f, D loss %.3f\n", (unsigned long long)stats.step, stats.gen_loss, stats.disc_loss);
  ganvas_render_detach(gan);
  ganvas_destroy(gan);
  glDeleteTextures(1, &texture);
  glDeleteVertexArrays(1, &vertex_array);
  glDeleteProgram(program);
  glfwDestroyWindow(window);
  glfwTerminate();
  if (o.check) printf(ok ? "check passed: same grid, host GL state unchanged\n" : "check failed\n");
  return ok ? 0 : 1;
}
