# Sourced (POSIX sh) by ./mvnw and ./streamsight: makes JAVA_HOME point at a JDK >= 25.
# Keeps a JAVA_HOME that already qualifies; otherwise tries the java on PATH, then the usual
# install locations. Prints why and exits 1 when none is found.
streamsight_java_feature() {
  # Prints the feature release (e.g. 25) of the java binary given, or nothing.
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
streamsight_select_jdk() {
  streamsight_min=25
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(streamsight_java_feature "$JAVA_HOME/bin/java")
    if [ -n "$v" ] && [ "$v" -ge "$streamsight_min" ]; then return 0; fi
  fi
  for candidate in $(command -v java 2>/dev/null) \
      /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/temurin-25-jdk-arm64/bin/java \
      /usr/lib/jvm/temurin-2[5-9]*/bin/java /usr/lib/jvm/java-2[5-9]*/bin/java \
      /usr/lib/jvm/jdk-2[5-9]*/bin/java /opt/java/openjdk/bin/java "$HOME"/.sdkman/candidates/java/2[5-9]*/bin/java; do
    [ -x "$candidate" ] || continue
    v=$(streamsight_java_feature "$candidate")
    if [ -n "$v" ] && [ "$v" -ge "$streamsight_min" ]; then
      real=$(readlink -f "$candidate")
      JAVA_HOME=$(dirname "$(dirname "$real")")
      export JAVA_HOME
      return 0
    fi
  done
  echo "streamsight: no JDK $streamsight_min or newer found (JAVA_HOME=${JAVA_HOME-unset}, java on PATH:" \
    "$(command -v java 2>/dev/null || echo none)). Install one (e.g. Temurin 25) and set JAVA_HOME." >&2
  return 1
}
streamsight_select_jdk || exit 1
