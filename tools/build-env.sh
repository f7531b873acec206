# Sourced by the build scripts (setup.sh, test.sh, configure-sanitize.sh): new build trees use
# Ninja when it is installed (tools/install-deps.sh installs it). Ninja compiles a library's
# files while the libraries it links against are still compiling, which keeps both cores of the
# CI machine busy; Make waits for each library in turn (docs/development.md has the figures).
# An existing build tree keeps the generator it was made with; CMAKE_GENERATOR overrides.
if [ -z "${CMAKE_GENERATOR:-}" ] && command -v ninja >/dev/null 2>&1; then
  export CMAKE_GENERATOR=Ninja
fi
