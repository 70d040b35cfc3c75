# cmake -DTEMPLATE=in -DHELP=help.txt -DOUTPUT=page.1 -DPROJECT_VERSION=x -P ManPage.cmake
# Fills the COMMANDS and EXPLAIN METHODS sections of skyinterpret-cli's man page from its own
# --help, so the page lists exactly the commands, methods and options the program has.
file(STRINGS "${HELP}" lines)

# The lines of the --help section that starts with a line matching `header`, up to a blank line,
# as man page text: "  name" starts an item, "      text" describes it, "      --option" lines
# keep their own line.
function(help_section header out)
  set(text "")
  set(inside FALSE)
  foreach(line IN LISTS lines)
    if(line MATCHES "${header}")
      set(inside TRUE)
      continue()
    endif()
    if(NOT inside)
      continue()
    endif()
    if(line STREQUAL "")
      break()
    endif()
    string(REPLACE "\\" "\\e" line "${line}")
    string(REPLACE "-" "\\-" line "${line}")
    if(line MATCHES "^      (\\\\-\\\\-.*)$")
      string(APPEND text ".br\n${CMAKE_MATCH_1}\n")
    elseif(line MATCHES "^      (.*)$")
      string(APPEND text "${CMAKE_MATCH_1}\n")
    elseif(line MATCHES "^  (.*)$")
      string(APPEND text ".TP\n.B ${CMAKE_MATCH_1}\n")
    endif()
  endforeach()
  if(text STREQUAL "")
    message(FATAL_ERROR "no '${header}' section in ${HELP}")
  endif()
  string(STRIP "${text}" text)
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

help_section("^commands:$" SKY_CLI_COMMANDS)
help_section("^methods " SKY_CLI_METHODS)
configure_file("${TEMPLATE}" "${OUTPUT}" @ONLY)
