// Shades one cell of the grid from the generator's images, read straight from a shared buffer.
#version 450 core

layout(std430, binding = 0) readonly buffer Images {
  float pixels[];  // images of side * side floats in [0, 1], row-major
};

layout(std430, binding = 1) readonly buffer Overlay {
  float gradient[];  // d(G's loss) / d pixel of each grid image, same layout as the images
};

layout(location = 2) uniform int u_first_image;
layout(location = 3) uniform int u_invert;      // the tutorial shows 1 - g
layout(location = 4) uniform int u_image_side;  // the model's image side (28 for MNIST)
layout(location = 5) uniform float u_overlay_scale;  // 1 / the largest gradient magnitude; 0: no overlay

in vec2 v_uv;
flat in int v_cell;
out vec4 color;

void main() {
  const ivec2 pixel = clamp(ivec2(v_uv * float(u_image_side)), ivec2(0), ivec2(u_image_side - 1));
  const int image = u_image_side * u_image_side;
  float g = clamp(pixels[(u_first_image + v_cell) * image + pixel.y * u_image_side + pixel.x], 0.0, 1.0);
  if (u_invert != 0) g = 1.0 - g;
  color = vec4(vec3(g), 1.0);
  if (u_overlay_scale > 0.0) {
    // Where G is told to go: the negative gradient, red to raise a pixel (more stroke), blue to lower it.
    const float push = clamp(-gradient[v_cell * image + pixel.y * u_image_side + pixel.x] * u_overlay_scale, -1.0, 1.0);
    const float strength = sqrt(abs(push));
    color.rgb = mix(color.rgb, push > 0.0 ? vec3(0.95, 0.15, 0.1) : vec3(0.1, 0.35, 1.0), 0.85 * strength);
  }
}
