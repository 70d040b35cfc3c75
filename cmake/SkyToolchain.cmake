# Compiler, linker and sanitizer settings shared by every SkyInterpret target.

# ccache and lld make rebuilds and links fast; both are optional.
find_program(SKY_CCACHE ccache)
if(SKY_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_C_COMPILER_LAUNCHER ${SKY_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${SKY_CCACHE})
endif()
find_program(SKY_LLD ld.lld)
if(SKY_LLD)
  add_link_options(-fuse-ld=lld)
endif()

if(SKY_SANITIZE_ADDRESS AND SKY_SANITIZE_THREAD)
  message(FATAL_ERROR "SKY_SANITIZE_ADDRESS and SKY_SANITIZE_THREAD cannot be combined")
endif()
if(SKY_SANITIZE_ADDRESS)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(SKY_SANITIZE_THREAD)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

# Our own targets get strict warnings; third-party headers are included as SYSTEM.
function(sky_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wfloat-conversion
                                           -Wnon-virtual-dtor)
  if(SKY_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
