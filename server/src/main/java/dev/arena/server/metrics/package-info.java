/**
 * Operations endpoints: Prometheus metrics read at scrape time from the live node ({@link
 * dev.arena.server.metrics.NodeMetrics}), and {@code /health} and {@code /ready} ({@link
 * dev.arena.server.metrics.Health}), served by {@link dev.arena.server.metrics.OpsRoute}. Nothing here is on
 * the packet path. The metrics are documented in docs/operations.md.
 */
package dev.arena.server.metrics;
