# Installation layout (FHS, /usr) and the Debian package made by CPack:
#   cmake --build build --target package   ->   build/skyinterpret_VERSION_ARCH.deb
include(GNUInstallDirs)
set(SKY_PACKAGING_DIR ${PROJECT_SOURCE_DIR}/packaging)
set(SKY_APP_ID org.skyinterpret.SkyInterpret)

install(TARGETS skyinterpret-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The CLI's LibTorch half, run by skyinterpret-cli for commands that need a model (ModelBackend.h).
install(TARGETS skyinterpret-cli-model RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/skyinterpret)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/demo DESTINATION ${CMAKE_INSTALL_DATADIR}/skyinterpret
        FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
if(SKY_BUILD_GUI)
  install(TARGETS skyinterpret RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${SKY_PACKAGING_DIR}/desktop/${SKY_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${SKY_PACKAGING_DIR}/desktop/${SKY_APP_ID}.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
  install(FILES ${SKY_PACKAGING_DIR}/desktop/${SKY_APP_ID}-mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages
          RENAME ${SKY_APP_ID}.xml)
  configure_file(${SKY_PACKAGING_DIR}/desktop/${SKY_APP_ID}.metainfo.xml.in ${CMAKE_BINARY_DIR}/${SKY_APP_ID}.metainfo.xml @ONLY)
  install(FILES ${CMAKE_BINARY_DIR}/${SKY_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
endif()

# Man pages (gzip -n: reproducible, as Debian wants). The CLI's command list comes from --help.
set(SKY_MAN_DIR ${CMAKE_BINARY_DIR}/man)
add_custom_command(
  OUTPUT ${SKY_MAN_DIR}/skyinterpret-cli.1.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${SKY_MAN_DIR}
  COMMAND ${CMAKE_COMMAND} -E env SKY_NO_REEXEC=1 $<TARGET_FILE:skyinterpret-cli> --help > ${SKY_MAN_DIR}/cli-help.txt
  COMMAND ${CMAKE_COMMAND} -DTEMPLATE=${SKY_PACKAGING_DIR}/man/skyinterpret-cli.1.in -DHELP=${SKY_MAN_DIR}/cli-help.txt
          -DOUTPUT=${SKY_MAN_DIR}/skyinterpret-cli.1 -DPROJECT_VERSION=${PROJECT_VERSION} -P ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
  COMMAND gzip -9nf ${SKY_MAN_DIR}/skyinterpret-cli.1
  DEPENDS skyinterpret-cli ${SKY_PACKAGING_DIR}/man/skyinterpret-cli.1.in ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
  COMMENT "Man page of skyinterpret-cli")
configure_file(${SKY_PACKAGING_DIR}/man/skyinterpret.1.in ${SKY_MAN_DIR}/skyinterpret.1 @ONLY)
configure_file(${SKY_PACKAGING_DIR}/debian/changelog.in ${CMAKE_BINARY_DIR}/doc/changelog.Debian @ONLY)
add_custom_command(
  OUTPUT ${SKY_MAN_DIR}/skyinterpret.1.gz ${CMAKE_BINARY_DIR}/doc/changelog.Debian.gz
  COMMAND gzip -9nkf ${SKY_MAN_DIR}/skyinterpret.1
  COMMAND gzip -9nkf ${CMAKE_BINARY_DIR}/doc/changelog.Debian
  DEPENDS ${SKY_MAN_DIR}/skyinterpret.1 ${CMAKE_BINARY_DIR}/doc/changelog.Debian)
add_custom_target(sky_package_docs ALL
  DEPENDS ${SKY_MAN_DIR}/skyinterpret-cli.1.gz ${SKY_MAN_DIR}/skyinterpret.1.gz ${CMAKE_BINARY_DIR}/doc/changelog.Debian.gz)
install(FILES ${SKY_MAN_DIR}/skyinterpret-cli.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
if(SKY_BUILD_GUI)
  install(FILES ${SKY_MAN_DIR}/skyinterpret.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
# Built here, not uploaded to Debian: there are no archive bugs for the changelog to close.
install(FILES ${SKY_PACKAGING_DIR}/debian/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME skyinterpret)
install(FILES ${SKY_PACKAGING_DIR}/debian/copyright ${CMAKE_BINARY_DIR}/doc/changelog.Debian.gz
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/skyinterpret)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME skyinterpret)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "see what a classifier of CMB sky maps has learned")
# CPack writes the summary as the Description line and these lines (not wrapped) below it.
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
  "SkyInterpret explains neural-network classifiers of cosmic microwave"
  "background sky maps (TorchScript models, HEALPix maps): SHAP Partition,"
  "saliency, integrated gradients, GradientSHAP and occlusion, reprojected"
  "onto the sphere, with scale ablations, perturbation sensitivity and"
  "faithfulness curves. The desktop application links a 3D sphere, Mollweide"
  "and Cartesian views and power spectra; skyinterpret-cli runs the same"
  "engine headless, for batches over MPI ranks or job arrays.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "SkyInterpret developers <developers@skyinterpret.org>")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/skyinterpret/skyinterpret")
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Runtime libraries from dpkg-shlibdeps: the Debian package of every linked library.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "openmpi-bin, xvfb")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
