# cmake --install: a relocatable package. find_package(ganvas) gives ganvas::embed (the C API,
# libganvas.so with its SONAME) and ganvas::imgui (the optional Dear ImGui panel); a pkg-config file
# gives the C API; the ganvas command and the assets
# go beside it.
include(CMakePackageConfigHelpers)
set(GANVAS_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/ganvas")

set_target_properties(ganvas_embed PROPERTIES EXPORT_NAME embed)
set_target_properties(ganvas_imgui PROPERTIES EXPORT_NAME imgui)
# The C++ libraries too: ganvas::core (training, checkpoints, sampling) and ganvas::engine (contexts,
# GL, Dear ImGui layer, frame loop, recording), with their headers under include/ganvas/.
foreach(library common core engine glad)
  set_target_properties(ganvas_${library} PROPERTIES EXPORT_NAME ${library})
endforeach()
install(TARGETS ganvas_common ganvas_core ganvas_engine ganvas_glad EXPORT ganvasTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
foreach(folder common engine gan/math gan/model gan/io gan/backends gan/backends/cuda gan/train gan/eval gan/session)
  file(GLOB headers "${PROJECT_SOURCE_DIR}/${folder}/*.h" "${PROJECT_SOURCE_DIR}/${folder}/*.cuh")
  install(FILES ${headers} DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/ganvas/${folder}")
endforeach()
install(DIRECTORY "${PROJECT_BINARY_DIR}/third_party/glad/include/" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/ganvas/third_party")
set(GANVAS_CONFIG_HAVE_CUDA ${GANVAS_HAVE_CUDA})
# No RUNPATH: the CUDA toolkit's libraries are found through ld.so's configuration, and CMake cannot
# rewrite the one its CUDA support writes at install time.
set_target_properties(ganvas_embed ganvas_imgui ganvas PROPERTIES SKIP_BUILD_RPATH ON)
install(TARGETS ganvas_embed ganvas_imgui EXPORT ganvasTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Development)
install(FILES "${PROJECT_SOURCE_DIR}/include/ganvas/ganvas.h" "${PROJECT_SOURCE_DIR}/include/ganvas/ganvas_imgui.h"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/ganvas")
install(EXPORT ganvasTargets NAMESPACE ganvas:: DESTINATION "${GANVAS_CMAKE_DIR}")

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/ganvasConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/ganvasConfig.cmake" INSTALL_DESTINATION "${GANVAS_CMAKE_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/ganvasConfigVersion.cmake" COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/ganvasConfig.cmake" "${PROJECT_BINARY_DIR}/ganvasConfigVersion.cmake"
  DESTINATION "${GANVAS_CMAKE_DIR}")

configure_file("${PROJECT_SOURCE_DIR}/cmake/ganvas.pc.in" "${PROJECT_BINARY_DIR}/ganvas.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/ganvas.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

install(TARGETS ganvas RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES "${PROJECT_SOURCE_DIR}/assets/mnist-gan-20k.safetensors" "${PROJECT_SOURCE_DIR}/assets/mnist-gan-20k.png"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/ganvas/assets")
