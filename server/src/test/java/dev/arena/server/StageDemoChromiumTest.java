package dev.arena.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arena.server.auth.ApiKey;
import dev.arena.server.auth.ApiKeys;
import dev.arena.server.config.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stage end to end, in real headless Chromium against a node started in-process, through the demo app's own
 * pages and buttons: a host creates an event and publishes its fake camera and microphone; three listeners join
 * from the audience link, receive both, read the host's chat and see its microphone muted and unmuted and its camera switched; one raises a hand, the host approves it, and its video reaches the host
 * and the other listeners; the host moves it back to the audience and its media stops; a listener that tries to
 * publish anyway sees publish_not_allowed; a listener whose WebSocket drops resumes with its role and its media,
 * and when a resume is refused it joins afresh; the host reloads its page and is back on stage; it removes a listener.
 * One Chromium, one tab per participant. Durations are hang guards, except the 5 s of the resume, which is the
 * requirement under test (the client retries after 250 ms; the media path never stops meanwhile).
 */
class StageDemoChromiumTest {
    private static final Duration JOIN = Duration.ofSeconds(30);
    private static final Duration MEDIA = Duration.ofSeconds(45);

    @Test
    void hostListenersRaisedHandApprovalDemotionRefusedPublishAndResume() throws Throwable {
        ApiKey key = ApiKeys.generate().primary();
        Path data = Path.of("target", "stage-test").toAbsolutePath();
        try (Node node = Node.start(Config.load(new String[] {"--bind", "127.0.0.1", "--http-port", "0",
                "--udp-port", "0", "--demo", "true", "--data-dir", data.toString()},
                Map.of("ARENA_API_KEY", key.id(), "ARENA_API_SECRET", key.secret())));
                ChromiumTabs chrome = new ChromiumTabs(Path.of("target", "peers", "stage-chromium").toAbsolutePath())) {
            assertServed(node.httpUrl());
            try {
                stage(node.httpUrl(), chrome);
            } catch (Throwable t) {
                chrome.screenshotAll();
                throw t;
            }
        }
    }

    private static void stage(String base, ChromiumTabs chrome) {
        // The host creates an event in the UI and goes on stage with camera and microphone.
        ChromiumTabs.Tab host = chrome.open("host", base + "/");
        host.awaitTrue("the landing page", "!!window.arenaTest && arenaTest.phase === 'landing'", JOIN);
        host.eval("(() => { document.getElementById('host-name').value = 'Hannah Host';"
                + " document.getElementById('event-title').value = 'Town hall';"
                + " document.getElementById('create-event').click(); })()");
        host.awaitTrue("the host joined", "arenaTest.phase === 'joined' && arenaTest.role === 'host'", JOIN);
        String hostId = (String) host.eval("arenaTest.identity");
        host.awaitTrue("the host sends audio and video", "arenaTest.localTracks().then(ts =>"
                + " ts.some(t => t.kind === 'video' && t.framesEncoded > 0) && ts.some(t => t.kind === 'audio' && t.packetsSent > 0))",
                MEDIA);
        host.awaitTrue("the audience link", "document.getElementById('audience-link').value.includes('?room=')", JOIN);
        String audienceUrl = (String) host.eval("document.getElementById('audience-link').value");
        assertTrue(audienceUrl.startsWith(base + "/?room="), audienceUrl);

        // Three listeners join from the audience link and receive the host's video and audio.
        List<ChromiumTabs.Tab> listeners = List.of(chrome.open("listener-1", audienceUrl),
                chrome.open("listener-2", audienceUrl), chrome.open("listener-3", audienceUrl));
        String[] ids = new String[3];
        for (int i = 0; i < 3; i++) {
            ChromiumTabs.Tab l = listeners.get(i);
            l.awaitTrue("the join form", "!!window.arenaTest && arenaTest.phase === 'join'", JOIN);
            l.eval("(() => { document.getElementById('listener-name').value = 'Listener " + (i + 1) + "';"
                    + " document.getElementById('join-event').click(); })()");
            l.awaitTrue("joined as a listener", "arenaTest.phase === 'joined' && arenaTest.role === 'listener'", JOIN);
            ids[i] = (String) l.eval("arenaTest.identity");
        }
        for (ChromiumTabs.Tab l : listeners) {
            awaitReceiving(l, hostId, true);
            l.awaitTrue("the host's tile", "arenaTest.tiles().includes('" + hostId + "')", JOIN);
        }

        // The host's chat message reaches every listener's chat.
        host.eval("(() => { document.querySelector('#chat [data-testid=chat-input]').value = 'Welcome, everyone';"
                + " document.querySelector('#chat [data-testid=chat-send]').click(); })()");
        for (ChromiumTabs.Tab l : listeners) {
            l.awaitTrue("the host's chat message", "document.querySelector('#chat [data-testid=chat-log]')"
                    + ".textContent.includes('Welcome, everyone')", JOIN);
        }

        // The host mutes its microphone in the UI: the listeners learn it; unmuted again, they learn that too.
        String hostAudioMuted = "(() => { const p = window.arena.participants.get('" + hostId + "');"
                + " const t = p && p.tracks.find(x => x.kind === 'audio'); return t ? t.muted : null; })()";
        host.eval("document.getElementById('mute-mic').click()");
        listeners.get(0).awaitTrue("the host's microphone muted", hostAudioMuted + " === true", JOIN);
        host.awaitTrue("the unmute button", "document.getElementById('mute-mic').textContent === 'Unmute microphone'", JOIN);
        host.eval("document.getElementById('mute-mic').click()");
        listeners.get(0).awaitTrue("the host's microphone back on", hostAudioMuted + " === false", JOIN);

        // The host picks its camera in the device picker: a new capture replaces the old one, without renegotiation.
        String cameraTrack = "window.arena.localTracks.find(t => t.source === 'camera').track.id";
        String oldCamera = (String) host.eval(cameraTrack);
        host.eval("(() => { const s = document.querySelector('#devices select[name=videoinput]');"
                + " s.dispatchEvent(new Event('change', {bubbles: true})); })()");
        host.awaitTrue("a new camera track", cameraTrack + " !== '" + oldCamera + "'", JOIN);
        awaitFlowing(listeners.get(0), hostId);

        // Listener 1 raises a hand; the host sees it in the queue and approves it in the UI.
        ChromiumTabs.Tab speaker = listeners.get(0);
        String speakerId = ids[0];
        speaker.eval("document.querySelector('#my-hand [data-testid=raise-hand]').click()");
        host.awaitTrue("the raised hand in the host's queue",
                "!!document.querySelector('[data-testid=\"approve-" + speakerId + "\"]')", JOIN);
        host.eval("document.querySelector('[data-testid=\"approve-" + speakerId + "\"]').click()");
        speaker.awaitTrue("on stage", "arenaTest.role === 'speaker'", JOIN);
        speaker.awaitTrue("the new speaker sends video", "arenaTest.localTracks().then(ts =>"
                + " ts.some(t => t.kind === 'video' && t.framesEncoded > 0))", MEDIA);
        for (ChromiumTabs.Tab t : List.of(host, listeners.get(1), listeners.get(2))) {
            awaitReceiving(t, speakerId, false);
            t.awaitTrue("the speaker's tile", "arenaTest.tiles().includes('" + speakerId + "')", JOIN);
        }
        host.awaitTrue("no hand left in the queue", "arenaTest.hands().length === 0", JOIN);

        // The host moves the speaker back to the audience: its tracks stop everywhere.
        host.awaitTrue("the demote button", "!!document.querySelector('[data-testid=\"demote-" + speakerId + "\"]')", JOIN);
        host.eval("document.querySelector('[data-testid=\"demote-" + speakerId + "\"]').click()");
        speaker.awaitTrue("back in the audience, capture stopped", "arenaTest.role === 'listener'"
                + " && window.arena.localTracks.length === 0", JOIN);
        for (ChromiumTabs.Tab t : List.of(host, listeners.get(1), listeners.get(2))) {
            t.awaitTrue("the speaker's tracks gone", "arenaTest.remoteTracks().then(ts =>"
                    + " !ts.some(x => x.participant === '" + speakerId + "'))"
                    + " && !arenaTest.tiles().includes('" + speakerId + "')", JOIN);
        }
        speaker.awaitTrue("the demoted speaker sends nothing", "arenaTest.localTracks().then(ts => ts.length === 0)", JOIN);
        // ...and still watches the host.
        awaitFlowing(speaker, hostId);

        // A listener that tries to publish anyway is refused, sees the error, and keeps watching.
        ChromiumTabs.Tab refused = listeners.get(1);
        refused.eval("document.getElementById('try-publish').click()");
        Object shown = refused.await("the publish_not_allowed error", "(() => { const e = document.getElementById('arena-error');"
                + " return e.hidden ? null : e.textContent; })()", r -> r != null && r.toString().contains("publish_not_allowed"), JOIN);
        assertTrue(shown.toString().startsWith("publish_not_allowed"), String.valueOf(shown));
        assertEquals("listener", refused.eval("arenaTest.role"));
        refused.awaitTrue("nothing published", "window.arena.localTracks.length === 0", JOIN);
        awaitFlowing(refused, hostId);

        // A listener's WebSocket drops: it resumes within 5 s, as a listener, with media flowing.
        ChromiumTabs.Tab dropped = listeners.get(2);
        long before = framesFrom(dropped, hostId);
        String ufrag = "(/a=ice-ufrag:(\\S+)/.exec(window.arena.peerConnection.localDescription.sdp) || [])[1]";
        String ufragBefore = (String) dropped.eval(ufrag);
        dropped.eval("window.arena.debugDropSocket()");
        dropped.awaitTrue("resumed", "arenaTest.resumes >= 1 && arenaTest.phase === 'joined'", Duration.ofSeconds(5));
        dropped.awaitTrue("an ICE restart, connected", ufrag + " !== '" + ufragBefore + "'"
                + " && window.arena.peerConnection.connectionState === 'connected'", JOIN);
        assertEquals("listener", dropped.eval("arenaTest.role"));
        assertEquals(1L, ((Number) dropped.eval("arenaTest.reconnects")).longValue(), "one reconnect");
        dropped.await("more video after the resume", framesExpression(hostId),
                r -> ((Number) r).longValue() > before, MEDIA);
        awaitFlowing(dropped, hostId);
        host.awaitTrue("the listener still in the room", "arenaTest.participants().some(p => p.identity === '"
                + ids[2] + "' && p.role === 'listener')", JOIN);

        // A resume that the node refuses (here: a spoiled resume token): the client joins afresh and receives again.
        dropped.eval("(() => { window.arena.resumeToken = 'r_spoiled'; window.arena.debugDropSocket(); })()");
        dropped.awaitTrue("joined afresh", "arenaTest.log.some(l => l.endsWith('rejoined afresh'))"
                + " && arenaTest.phase === 'joined'", JOIN);
        assertEquals("listener", dropped.eval("arenaTest.role"));
        awaitReceiving(dropped, hostId, true);
        awaitFlowing(dropped, hostId);
        // The host reloads its page: it comes back as the host, on stage, and the listeners see it again.
        host.reload();
        host.awaitTrue("the host back", "!!window.arenaTest && arenaTest.phase === 'joined' && arenaTest.role === 'host'", JOIN);
        host.awaitTrue("the host sends video again", "arenaTest.localTracks().then(ts =>"
                + " ts.some(t => t.kind === 'video' && t.framesEncoded > 0))", MEDIA);
        awaitReceiving(listeners.get(0), hostId, true);
        awaitFlowing(listeners.get(0), hostId);

        // The host removes listener 2 from the room: its page says so, and the others no longer list it.
        host.eval("document.querySelector('[data-testid=\"remove-" + ids[1] + "\"]').click()");
        refused.awaitTrue("removed", "arenaTest.phase === 'disconnected'", JOIN);
        for (ChromiumTabs.Tab t : List.of(host, listeners.get(0), listeners.get(2))) {
            t.awaitTrue("listener 2 gone", "!arenaTest.participants().some(p => p.identity === '" + ids[1] + "')", JOIN);
        }
        assertFalse((Boolean) host.eval("arenaTest.errors.length > 0"), () -> "host errors: " + host.eval("JSON.stringify(arenaTest.errors)"));
    }

    /** The SDK (with its typings), the components and the demo app are served from the web module's jar. */
    private static void assertServed(String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/", "/sdk/arena.js", "/sdk/arena.d.ts", "/components/arena-components.js",
                "/app/app.js", "/app/style.css")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path);
        }
        HttpResponse<String> sdk = http.send(HttpRequest.newBuilder(URI.create(base + "/sdk/arena.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(sdk.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"), sdk.headers().toString());
        assertTrue(sdk.body().contains("ArenaClient"), "the SDK module");
    }

    /** Video frames decoded and audio received from {@code participant} on this page. */
    private static void awaitReceiving(ChromiumTabs.Tab tab, String participant, boolean audio) {
        tab.await((audio ? "video and audio" : "video") + " from " + participant,
                "arenaTest.remoteTracks().then(ts => {"
                        + " const v = ts.filter(t => t.participant === '" + participant + "' && t.kind === 'video');"
                        + " const a = ts.filter(t => t.participant === '" + participant + "' && t.kind === 'audio');"
                        + " return {frames: v.reduce((s, t) => s + t.framesDecoded, 0),"
                        + " audioPackets: a.reduce((s, t) => s + t.packetsReceived, 0),"
                        + " audioBytes: a.reduce((s, t) => s + t.bytesReceived, 0)}; })",
                r -> {
                    Map<?, ?> m = (Map<?, ?>) r;
                    boolean video = ((Number) m.get("frames")).longValue() > 0;
                    // Packets, not samples: headless Chromium has no audio output to pull decoded samples.
                    boolean sound = ((Number) m.get("audioPackets")).longValue() > 0
                            && ((Number) m.get("audioBytes")).longValue() > 0;
                    return video && (!audio || sound);
                }, MEDIA);
    }

    private static String framesExpression(String participant) {
        return "arenaTest.remoteTracks().then(ts => ts.filter(t => t.participant === '" + participant
                + "' && t.kind === 'video').reduce((s, t) => s + t.framesDecoded, 0))";
    }

    private static long framesFrom(ChromiumTabs.Tab tab, String participant) {
        return ((Number) tab.eval(framesExpression(participant))).longValue();
    }

    /** Frames from {@code participant} keep coming. */
    private static void awaitFlowing(ChromiumTabs.Tab tab, String participant) {
        long before = framesFrom(tab, participant);
        tab.await("video from " + participant + " still flowing", framesExpression(participant),
                r -> ((Number) r).longValue() > before, MEDIA);
    }
}
