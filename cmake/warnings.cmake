# Warnings and sanitizers as INTERFACE targets, linked by every project target.
add_library(myoscreen_warnings INTERFACE)
target_compile_options(myoscreen_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wdouble-promotion -Wformat=2
  # GCC 12 reports false -Wrestrict overlaps inside std::string concatenation at -O2
  # (GCC bug 105651); it would break the optimised CI build on correct code.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
  $<$<BOOL:${MYOSCREEN_WARNINGS_AS_ERRORS}>:-Werror>)

add_library(myoscreen_sanitizers INTERFACE)
if(MYOSCREEN_SANITIZE)
  target_compile_options(myoscreen_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(myoscreen_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

add_library(myoscreen_options INTERFACE)
target_link_libraries(myoscreen_options INTERFACE myoscreen_warnings myoscreen_sanitizers)
