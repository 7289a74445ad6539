# packaging.cmake - CPack settings: `cpack -G DEB` in a build folder packs everything
# `cmake --install` installs into mxsim_<version>_<arch>.deb (README.md, "Installing").
set(MXSIM_PACKAGE_MAINTAINER
  "mxsim maintainers <maintainers@users.noreply.r-seed-9a4e7507.example>"
  CACHE STRING "The Maintainer field of the .deb")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mxsim)
set(CPACK_PACKAGE_VENDOR "mxsim")
set(CPACK_PACKAGE_CONTACT "${MXSIM_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "discrete-event simulator of Internet mail routing and backscatter")
# One paragraph; CPack indents each line for the control file (lines under 80 columns).
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
  "mxsim simulates MTAs (Postfix, Exim and Sendmail queues rule for rule), MX"
  "chains, DNS that changes over time, SMTP-time policies, queue retries, bounces"
  "and forged-sender floods from worms and spammers, and counts the backscatter:"
  "the non-delivery reports that land on people whose address was forged as the"
  "sender. Scenario files compare policies over variants, sweeps and replications"
  "with common random numbers; runs can be spread over MPI processes."
  "This package holds the command-line tool mxsim, the Qt desktop app mxsim-gui,"
  "their manual pages and bash completion, the documentation and the teaching"
  "scenarios (/usr/share/mxsim/scenarios).")
set(CPACK_STRIP_FILES ON)  # the build's debug info stays out of the package

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # mxsim_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${MXSIM_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends from the binaries' libraries (dpkg-shlibdeps)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "openmpi-bin, graphviz")  # mpirun; dot for backscatter.dot

# `cpack --config CPackSourceConfig.cmake`: the sources only, never build or result folders.
set(CPACK_SOURCE_GENERATOR TXZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/out/")

include(CPack)
