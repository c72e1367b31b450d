#!/bin/sh
# Container entry point: the launcher's last step (../streamsight) without its build and its ../shared
# defaults, which the image replaces with its own environment (STREAMSIGHT_MODEL_PATH=/models, ...).
# STREAMSIGHT_JAVA_OPTS adds JVM options, as for the launcher. exec: the JVM gets SIGTERM directly.
set -eu
APP=/opt/streamsight
exec "${JAVA_HOME:-/opt/java/openjdk}/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  ${STREAMSIGHT_JAVA_OPTS-} \
  -cp "$APP/streamsight-app.jar:$APP/lib/*" dev.streamsight.cli.Main "$@"
