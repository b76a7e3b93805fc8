package dev.arena.bots.scenario;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach the server under load, as the command line gives it; each target takes what it needs.
 *
 * @param kind       arena, janus or whip
 * @param url        Arena: the node's base URL (http://host:8080); Janus: its HTTP API (http://host:8088/janus)
 * @param room       the room every bot joins
 * @param apiKey     Arena: API key id to sign access tokens with (null: the development key in dataDir)
 * @param apiSecret  its secret (from the environment, never a flag)
 * @param dataDir    Arena: where a development node keeps dev-api-key
 * @param token      a bearer token for WHIP/WHEP servers that want one (null: none)
 * @param whipUrl    WHIP endpoint publishers POST to (null: derived from url and room for Arena's /whip/ROOM)
 * @param whepUrl    WHEP endpoint listeners POST to (null: derived likewise)
 * @param janusUrl   Janus HTTP API (null: url)
 * @param timeout    how long one signaling request may take (the bots' join timeout)
 */
public record TargetOptions(String kind, URI url, String room, String apiKey, String apiSecret, Path dataDir,
                            String token, Path tokensFile, URI whipUrl, URI whepUrl, URI janusUrl, Duration timeout) {
}
