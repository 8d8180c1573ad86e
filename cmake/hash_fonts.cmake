# Writes the font manifest the reports check at load (issue 7: fonts checked by hash).
#   cmake -DOUT=fonts.sha256 -DSUBSETS="a.ttf;b.ttf" -DSYSTEM="/usr/share/.../a.ttf;..." -P hash_fonts.cmake
# Lines are "<sha256>  <name>": a subset by its file name (it sits beside the manifest), an
# installed fallback font by its absolute path.
set(lines "")
foreach(f ${SUBSETS})
  file(SHA256 "${f}" h)
  get_filename_component(name "${f}" NAME)
  string(APPEND lines "${h}  ${name}\n")
endforeach()
foreach(f ${SYSTEM})
  if(EXISTS "${f}")
    file(SHA256 "${f}" h)
    string(APPEND lines "${h}  ${f}\n")
  endif()
endforeach()
file(WRITE "${OUT}" "${lines}")
