// Shades one cell of the grid from the generator's images, read straight from a shared buffer.
#version 450 core

layout(std430, binding = 0) readonly buffer Images {
  float pixels[];  // images of side * side floats in [0, 1], row-major
};

layout(location = 2) uniform int u_first_image;
layout(location = 3) uniform int u_invert;      // the tutorial shows 1 - g
layout(location = 4) uniform int u_image_side;  // the model's image side (28 for MNIST)

in vec2 v_uv;
flat in int v_cell;
out vec4 color;

void main() {
  const ivec2 pixel = clamp(ivec2(v_uv * float(u_image_side)), ivec2(0), ivec2(u_image_side - 1));
  const int image = u_image_side * u_image_side;
  float g = clamp(pixels[(u_first_image + v_cell) * image + pixel.y * u_image_side + pixel.x], 0.0, 1.0);
  if (u_invert != 0) g = 1.0 - g;
  color = vec4(vec3(g), 1.0);
}
