#!/usr/bin/env bash
# Builds the .deb from a configured build tree, checks its metadata and contents with Debian's
# tools, installs it into a scratch root and runs the installed programs on the demo data.
# Usage: check_package.sh BUILD_DIR VERSION WITH_GUI(ON|OFF) SCRATCH_DIR
set -euo pipefail
build=$1 version=$2 with_gui=$3 scratch=$4
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$scratch" && mkdir -p "$scratch"

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/out" > "$scratch/cpack.log" 2>&1 || { cat "$scratch/cpack.log"; fail "cpack"; }
deb=$(ls "$scratch"/out/*.deb)
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# Metadata: name, version, and runtime dependencies as Debian package names.
field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == skyinterpret ]] || fail "Package is $(field Package)"
[[ $(field Version) == "$version-1" ]] || fail "Version is $(field Version), want $version-1"
[[ $(field Architecture) == $(dpkg --print-architecture) ]] || fail "Architecture $(field Architecture)"
depends=$(field Depends)
wanted=(libtorch1.13 libhealpix-cxx3 libcfitsio10 libgomp1 libopenmpi3)
[[ $with_gui == ON ]] && wanted+=(libqt6widgets6 libqt6openglwidgets6 libqt6svg6 libvtk9.1)
for lib in "${wanted[@]}"; do
  grep -qE "(^|, )$lib( |,|$)" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
# Every dependency names a real package: each is installed on this (build) machine.
for dep in $(tr ',' '\n' <<<"$depends" | sed -E 's/^ *([^ ]+).*/\1/'); do
  status=$(dpkg-query -W -f='${Status}' "$dep" 2>/dev/null || true)
  grep -q "install ok installed" <<<"$status" || fail "dependency $dep is not a known installed package"
done
# Captured first: with pipefail, `dpkg-deb | grep -q` fails whenever grep exits before
# dpkg-deb has written everything (SIGPIPE), which made this check flaky under load.
info=$(dpkg-deb -I "$deb")
grep -q "Description: see what a classifier" <<<"$info" || fail "description"

# Contents.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' > "$scratch/contents.txt"
expected=(/usr/bin/skyinterpret-cli /usr/libexec/skyinterpret/skyinterpret-cli-model /usr/share/skyinterpret/demo/demo_model.pt /usr/share/skyinterpret/demo/demo_model.json
          /usr/share/man/man1/skyinterpret-cli.1.gz /usr/share/doc/skyinterpret/copyright /usr/share/doc/skyinterpret/changelog.Debian.gz)
[[ $with_gui == ON ]] && expected+=(/usr/bin/skyinterpret /usr/share/man/man1/skyinterpret.1.gz
  /usr/share/applications/org.skyinterpret.SkyInterpret.desktop /usr/share/icons/hicolor/scalable/apps/org.skyinterpret.SkyInterpret.svg
  /usr/share/metainfo/org.skyinterpret.SkyInterpret.metainfo.xml /usr/share/mime/packages/org.skyinterpret.SkyInterpret.xml)
for path in "${expected[@]}"; do grep -qx "$path" "$scratch/contents.txt" || fail "the package lacks $path"; done
if grep -E "^/(usr/)?(local|lib/debug|include)|/build/|\.a$" "$scratch/contents.txt"; then fail "build leftovers in the package"; fi

# Debian's checkers, where installed (packaging/install-deps.sh installs them).
if command -v lintian > /dev/null; then
  lintian --fail-on error,warning "$deb" 2> >(grep -v "root privileges" >&2) || fail "lintian"
  echo "lintian: clean"
fi
root="$scratch/root"
dpkg -x "$deb" "$root"
if [[ $with_gui == ON ]]; then
  if command -v desktop-file-validate > /dev/null; then
    desktop-file-validate "$root/usr/share/applications/org.skyinterpret.SkyInterpret.desktop" || fail "desktop-file-validate"
    grep -q "^MimeType=.*application/fits.*application/x-torchscript" "$root/usr/share/applications/org.skyinterpret.SkyInterpret.desktop" || fail "MIME types"
    echo "desktop-file-validate: ok"
  fi
  if command -v appstreamcli > /dev/null; then
    appstreamcli validate --no-net "$root/usr/share/metainfo/org.skyinterpret.SkyInterpret.metainfo.xml" || fail "appstreamcli validate"
  fi
  grep -q "<release version=\"$version\"" "$root/usr/share/metainfo/org.skyinterpret.SkyInterpret.metainfo.xml" || fail "metainfo release"
fi

# The installed CLI: version and commands agree with its man page, and it runs on the demo data.
cli="$root/usr/bin/skyinterpret-cli"
[[ $("$cli" --version) == "skyinterpret-cli $version" ]] || fail "--version prints $("$cli" --version)"
man=$(zcat "$root/usr/share/man/man1/skyinterpret-cli.1.gz")
grep -q "^.TH SKYINTERPRET-CLI 1 .* \"skyinterpret-cli $version\"" <<<"$man" || fail "man page version"
plain_man=$(sed 's/\\-/-/g; s/\\e/\\/g' <<<"$man")
for command in $("$cli" --help | awk '/^commands:/{on=1; next} on && /^$/{exit} on && /^  [a-z]/{print $1}'); do
  grep -q "^.B $command " <<<"$plain_man" || fail "the man page lacks the command $command"
done
for method in $("$cli" --help | awk '/^methods /{on=1; next} on && /^$/{exit} on && /^  [a-z]/{print $1}'); do
  grep -q "^.B $method$" <<<"$plain_man" || fail "the man page lacks the explain method $method"
done
for option in $("$cli" --help | grep -oE -- "--[a-z][a-z0-9-]*" | sort -u); do
  grep -q -- "$option" <<<"$plain_man" || fail "the man page lacks $option"
done
"$cli" simulate --demo --nside 16 --count 2 --format fits --out "$scratch/skies" > /dev/null
"$cli" batch --model "$root/usr/share/skyinterpret/demo/demo_model.pt" --inputs "$scratch/skies" --method saliency \
  --threads 1 --outdir "$scratch/batch" 2> "$scratch/batch.log" || { cat "$scratch/batch.log"; fail "installed batch"; }
[[ $(grep -c '"status": "ok"' "$scratch/batch/manifest.jsonl") == 4 ]] || fail "installed batch did not explain the 4 demo skies"
echo "installed CLI: version, man page and a demo batch ok"

if [[ $with_gui == ON ]]; then
  gui="$root/usr/bin/skyinterpret"
  export QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$scratch/config"
  [[ $("$gui" --version) == "SkyInterpret $version" ]] || fail "skyinterpret --version prints $("$gui" --version)"
  gman=$(zcat "$root/usr/share/man/man1/skyinterpret.1.gz" | sed 's/\\-/-/g')
  grep -q "^.TH SKYINTERPRET 1 .* \"skyinterpret $version\"" <<<"$gman" || fail "GUI man page version"
  for option in $("$gui" --help | grep -oE -- "--[a-z][a-z0-9-]*" | sort -u); do
    grep -q -- "$option" <<<"$gman" || fail "the GUI man page lacks $option"
  done
  # The installed app finds its demo under /usr/share/skyinterpret (relative to the binary).
  unset SKY_RESOURCES
  "$gui" --demo --export-figure mollweide "$scratch/demo.png" || fail "the installed app could not draw the demo"
  [[ $(stat -c %s "$scratch/demo.png") -gt 10000 ]] || fail "demo figure too small"
  echo "installed app: version, man page and the demo figure ok"
fi
echo "package ok"
