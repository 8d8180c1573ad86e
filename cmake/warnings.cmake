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
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
    # GCC 12 with the sanitizers' instrumentation and any optimisation (the asan preset's -O1)
    # reports false -Wmaybe-uninitialized inside libstdc++'s std::regex and std::function; the
    # ci build (-O2, no sanitizer) keeps the warning, as an error.
    $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
  target_link_options(myoscreen_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

# Debian's hardening (what dpkg-buildflags gives a package, and lintian's hardening-* checks
# look for): checked buffer functions where the compiler can see the sizes (FORTIFY needs
# optimisation, so not in a Debug build, where glibc would warn and -Werror fail), a stack
# canary, stack-clash probes, control-flow protection, and the relocations made read-only at
# load (relro + bindnow). PIE is GCC's default on Debian. Off for the sanitizer and fuzz builds,
# whose own instrumentation these would only get in the way of.
add_library(myoscreen_hardening INTERFACE)
if(NOT MYOSCREEN_SANITIZE AND NOT MYOSCREEN_FUZZ)
  target_compile_options(myoscreen_hardening INTERFACE
    $<$<NOT:$<CONFIG:Debug>>:-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2>
    -fstack-protector-strong -fstack-clash-protection -fcf-protection)
  target_link_options(myoscreen_hardening INTERFACE -Wl,-z,relro -Wl,-z,now)
endif()

add_library(myoscreen_options INTERFACE)
target_link_libraries(myoscreen_options INTERFACE myoscreen_warnings myoscreen_sanitizers
  myoscreen_hardening)
