/**
 * Observability of a running pipeline: its meters ({@link dev.streamsight.observe.PipelineMetrics},
 * Micrometer, exported in the Prometheus text format), its liveness and readiness ({@link
 * dev.streamsight.observe.Readiness}), the HTTP endpoint that serves both ({@link
 * dev.streamsight.observe.HttpEndpoint}) and the log format ({@link dev.streamsight.observe.LogFormat}).
 *
 * <p>The topology reports through {@link dev.streamsight.observe.PipelineMetrics}, whose {@link
 * dev.streamsight.observe.PipelineMetrics#noop() no-op} instance is the default, so unit tests and the
 * commands that serve nothing need no registry.
 */
package dev.streamsight.observe;
