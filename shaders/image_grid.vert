// Lays out a grid of square images: one instance per cell, two triangles each, no vertex buffers.
#version 450 core

layout(location = 0) uniform vec4 u_rect;    // left, bottom, right, top in clip space
layout(location = 1) uniform ivec2 u_cells;  // columns, rows

out vec2 v_uv;           // (0, 0) at the cell's top-left corner
flat out int v_cell;

const vec2 kCorners[6] = vec2[](vec2(0, 0), vec2(1, 0), vec2(0, 1), vec2(0, 1), vec2(1, 0), vec2(1, 1));

void main() {
  const vec2 corner = kCorners[gl_VertexID];
  const int column = gl_InstanceID % u_cells.x;
  const int row = gl_InstanceID / u_cells.x;
  const vec2 cell_size = (u_rect.zw - u_rect.xy) / vec2(u_cells);
  const vec2 position = vec2(u_rect.x + (float(column) + corner.x) * cell_size.x,
                             u_rect.w - (float(row) + corner.y) * cell_size.y);
  v_uv = corner;
  v_cell = gl_InstanceID;
  gl_Position = vec4(position, 0.0, 1.0);
}
