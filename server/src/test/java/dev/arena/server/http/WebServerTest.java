package dev.arena.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP side of {@link WebServer} over real sockets with the JDK's HttpClient: static files, routes, CORS, 413. */
class WebServerTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<WebServer> servers = new ArrayList<>();

    @AfterEach
    void closeServers() {
        servers.forEach(WebServer::close);
    }

    private WebServer start(WebServer server) throws Exception {
        servers.add(server);
        return server.start();
    }

    private static WebServer plain() {
        return new WebServer(new InetSocketAddress("127.0.0.1", 0), null, false);
    }

    private java.net.http.HttpResponse<String> send(WebServer server, String method, String rawPath, byte[] body,
                                                    String... headers) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + rawPath)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), BodyHandlers.ofString());
    }

    private java.net.http.HttpResponse<String> get(WebServer server, String rawPath, String... headers)
            throws Exception {
        return send(server, "GET", rawPath, null, headers);
    }

    @Test
    void staticFilesHaveTheirTypeAndCachingAndNothingOutsideTheFolderIsServed() throws Exception {
        WebServer web = start(plain());
        var html = get(web, "/echo.html");
        assertEquals(200, html.statusCode());
        assertEquals("text/html; charset=utf-8", html.headers().firstValue("Content-Type").orElse(null));
        assertEquals("no-cache", html.headers().firstValue("Cache-Control").orElse(null));
        assertTrue(html.body().contains("startEcho"), "the echo demo page");
        String etag = html.headers().firstValue("ETag").orElseThrow();
        var again = get(web, "/echo.html", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());

        assertType(web, "/sdk/probe.js", "text/javascript; charset=utf-8", "no-cache");
        assertType(web, "/sdk/probe.js.map", "application/json; charset=utf-8", "no-cache");
        assertType(web, "/probe.json", "application/json; charset=utf-8", "no-cache");
        assertType(web, "/assets/app-1a2b3c.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable");
        assertType(web, "/assets/logo.svg", "image/svg+xml", "public, max-age=31536000, immutable");

        var head = send(web, "HEAD", "/sdk/probe.js", null);
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(String.valueOf("export const probe = 1;\n".length()),
                head.headers().firstValue("Content-Length").orElse(null));

        // "/" is the web module's index.html (on this classpath); a folder, a file of no known type, missing files: 404
        assertEquals(200, get(web, "/").statusCode());
        for (String path : List.of("/sdk", "/sdk/", "/sdk/README", "/missing.html", "/assets/none.css")) {
            assertEquals(404, get(web, path).statusCode(), path);
        }
        // ways out of the folder, to a file that is on the classpath (logback-test.xml) or on the disk
        for (String path : List.of("/../logback-test.xml", "/%2e%2e/logback-test.xml", "/..%2flogback-test.xml",
                "/sdk/../../logback-test.xml", "/sdk/..%2F..%2Flogback-test.xml", "/.%2e/.%2e/etc/passwd",
                "/%2fetc%2fpasswd", "/sdk%5c..%5c..%5clogback-test.xml", "/.hidden.js", "/sdk/./probe.js",
                "/sdk//probe.js", "/%00.js", "/arena-web/sdk/probe.js")) {
            var r = get(web, path);
            assertEquals(404, r.statusCode(), path + ": " + r.body());
            assertFalse(r.body().contains("<configuration"), path);
        }
        assertEquals(404, send(web, "POST", "/echo.html", "x".getBytes(StandardCharsets.UTF_8)).statusCode());
    }

    private void assertType(WebServer web, String path, String type, String cache) throws Exception {
        var r = get(web, path);
        assertEquals(200, r.statusCode(), path);
        assertEquals(type, r.headers().firstValue("Content-Type").orElse(null), path);
        assertEquals(cache, r.headers().firstValue("Cache-Control").orElse(null), path);
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), path);
    }

    @Test
    void routesGetTheLongestMatchingPrefixTheirBodyAndTheQuery() throws Exception {
        AtomicReference<HttpRequest> seen = new AtomicReference<>();
        WebServer web = start(plain()
                .route("/api/", req -> {
                    seen.set(req);
                    return HttpResponse.text(200, "api " + req.method() + " " + req.path() + " ? " + req.query());
                }, 1024, false)
                .route("/api/special", req -> HttpResponse.text(200, "special"), 1024, false)
                .redirect("/", "/echo.html"));
        var r = send(web, "PUT", "/api/rooms/r%20one?x=1&y=2", "hello".getBytes(StandardCharsets.UTF_8),
                "X-Thing", "value");
        assertEquals(200, r.statusCode());
        assertEquals("api PUT /api/rooms/r one ? x=1&y=2\n", r.body());
        assertEquals("hello", seen.get().bodyText());
        assertEquals("value", seen.get().header().apply("x-thing"), "headers by any case");
        assertEquals("http", seen.get().scheme());
        assertEquals("127.0.0.1:" + web.port(), seen.get().host());
        assertEquals("127.0.0.1", seen.get().remote().getAddress().getHostAddress());
        assertEquals("special\n", get(web, "/api/special").body());
        assertEquals("special\n", get(web, "/api/special/x").body());
        assertTrue(get(web, "/api/specialty").body().startsWith("api "), "a prefix ends at a path segment");
        var redirect = get(web, "/");
        assertEquals(302, redirect.statusCode());
        assertEquals("/echo.html", redirect.headers().firstValue("Location").orElse(null));
    }

    @Test
    void aFailingRouteIs500AndTheServerGoesOn() throws Exception {
        WebServer web = start(plain()
                .route("/boom", req -> {
                    throw new IllegalStateException("bug");
                }, 0, false)
                .route("/ok", req -> HttpResponse.text(200, "ok"), 0, false));
        var r = get(web, "/boom");
        assertEquals(500, r.statusCode());
        assertEquals("internal error\n", r.body());
        assertEquals(200, get(web, "/ok").statusCode());
    }

    @Test
    void aBodyOverTheLimitIs413AndNeverReachesTheRoute() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger lastLength = new AtomicInteger(-1);
        WebServer web = start(plain().route("/upload", req -> {
            calls.incrementAndGet();
            lastLength.set(req.body().length);
            return HttpResponse.text(201, "got " + req.body().length);
        }, 1000, true));
        var ok = send(web, "POST", "/upload", new byte[1000]);
        assertEquals(201, ok.statusCode());
        assertEquals(1000, lastLength.get());

        var tooLarge = send(web, "POST", "/upload", new byte[1001], "Origin", "https://app.example");
        assertEquals(413, tooLarge.statusCode());
        assertEquals("the request body is larger than 1000 bytes\n", tooLarge.body());
        assertEquals("https://app.example", tooLarge.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                "a CORS route's refusal is readable by the page");

        // without Content-Length (chunked): refused while reading, and a body far over the limit is not buffered
        var chunked = client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port()
                        + "/upload")).POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                () -> new ByteArrayInputStream(new byte[3 << 20]))).build(), BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode());
        assertEquals(1, calls.get(), "the route saw only the request within its limit");
        assertEquals(201, send(web, "POST", "/upload", new byte[10]).statusCode(), "the server goes on");
    }

    @Test
    void corsRoutesAnswerPreflightsAndLetPagesReadTheirResponses() throws Exception {
        WebServer web = start(plain()
                .route("/whip/", req -> HttpResponse.text(201, "created").withHeader("Location", "/whip/r/1"), 100,
                        true)
                .route("/private/", req -> HttpResponse.text(200, req.method()), 100, false));
        var preflight = send(web, "OPTIONS", "/whip/room", null, "Origin", "https://app.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization");
        assertEquals(204, preflight.statusCode());
        assertEquals("https://app.example", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("Origin", preflight.headers().firstValue("Vary").orElse(null));
        String methods = preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("");
        for (String m : List.of("GET", "POST", "PATCH", "DELETE")) {
            assertTrue(methods.contains(m), methods);
        }
        String allowed = preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("");
        for (String h : List.of("Authorization", "Content-Type", "If-Match")) {
            assertTrue(allowed.contains(h), allowed);
        }
        String exposed = preflight.headers().firstValue("Access-Control-Expose-Headers").orElse("");
        for (String h : List.of("Location", "ETag", "Link", "Accept-Patch")) {
            assertTrue(exposed.contains(h), exposed);
        }
        assertEquals("86400", preflight.headers().firstValue("Access-Control-Max-Age").orElse(null));

        assertEquals("*", send(web, "OPTIONS", "/whip/room", null).headers()
                .firstValue("Access-Control-Allow-Origin").orElse(null), "no Origin: any");
        var real = send(web, "POST", "/whip/room", new byte[3], "Origin", "https://app.example");
        assertEquals(201, real.statusCode());
        assertEquals("https://app.example", real.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(real.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("Location"));

        var notCors = send(web, "OPTIONS", "/private/x", null, "Origin", "https://app.example",
                "Access-Control-Request-Method", "POST");
        assertEquals("OPTIONS\n", notCors.body(), "a route without CORS answers OPTIONS itself");
        assertNull(notCors.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }

    @Test
    void forwardedHeadersCountOnlyWhenTheProxyIsTrusted() throws Exception {
        AtomicReference<HttpRequest> seen = new AtomicReference<>();
        HttpRoute record = req -> {
            seen.set(req);
            return HttpResponse.text(200, "ok");
        };
        WebServer direct = start(plain().route("/r", record, 0, false));
        WebServer proxied = start(new WebServer(new InetSocketAddress("127.0.0.1", 0), null, true)
                .route("/r", record, 0, false));
        String[] xForwarded = {"X-Forwarded-Proto", "https", "X-Forwarded-Host", "arena.example.com",
                "X-Forwarded-For", "10.9.9.9, 203.0.113.7"};

        get(direct, "/r", xForwarded);
        assertEquals("http", seen.get().scheme());
        assertEquals("127.0.0.1:" + direct.port(), seen.get().host());
        assertEquals("127.0.0.1", seen.get().remote().getAddress().getHostAddress());

        get(proxied, "/r", xForwarded);
        assertEquals("https", seen.get().scheme());
        assertEquals("arena.example.com", seen.get().host());
        assertEquals("https://arena.example.com", seen.get().origin());
        assertEquals("203.0.113.7", seen.get().remote().getAddress().getHostAddress(),
                "the address the nearest proxy saw: earlier entries may be forged by the client");

        // RFC 7239 wins over X-Forwarded-*; of several elements the last counts; quoted IPv6 with a port
        get(proxied, "/r", "Forwarded", "for=198.51.100.1;proto=http;host=forged.example, "
                + "for=\"[2001:db8:cafe::17]:4711\";proto=https;host=\"b.example:8443\"", "X-Forwarded-For", "10.0.0.1");
        assertEquals("https", seen.get().scheme());
        assertEquals("b.example:8443", seen.get().host());
        assertEquals(new InetSocketAddress("2001:db8:cafe::17", 4711), seen.get().remote());

        // what a trusted header says is still checked: unknown, obfuscated, a host with spaces, a bad scheme
        get(proxied, "/r", "Forwarded", "for=unknown;proto=gopher;host=\"evil host\"");
        assertEquals("http", seen.get().scheme());
        assertEquals("127.0.0.1:" + proxied.port(), seen.get().host());
        assertEquals("127.0.0.1", seen.get().remote().getAddress().getHostAddress());
        get(proxied, "/r", "X-Forwarded-For", "_hidden");
        assertEquals("127.0.0.1", seen.get().remote().getAddress().getHostAddress());
    }

    @Test
    void clientInfoParsesForwardedAddresses() {
        assertEquals(new InetSocketAddress("192.0.2.43", 0), ClientInfo.address("192.0.2.43"));
        assertEquals(new InetSocketAddress("192.0.2.43", 47011), ClientInfo.address("192.0.2.43:47011"));
        assertEquals(new InetSocketAddress("2001:db8::1", 0), ClientInfo.address("2001:db8::1"));
        assertEquals(new InetSocketAddress("2001:db8::1", 0), ClientInfo.address("[2001:db8::1]"));
        for (String bad : List.of("unknown", "_gazonk", "example.com", "[2001:db8::1", "1.2.3.4:99999", "1.2.3.4:x",
                "[::1]x", "")) {
            assertNull(ClientInfo.address(bad), bad);
        }
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBodyIsSent() throws Exception {
        WebServer web = start(plain().route("/upload", req -> HttpResponse.text(201, "got " + req.body().length),
                1000, false));
        for (int size : new int[] {500, 5000}) {
            var r = client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port()
                            + "/upload")).expectContinue(true).timeout(Duration.ofSeconds(30))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[size])).build(),
                    BodyHandlers.ofString());
            assertEquals(size <= 1000 ? 201 : 413, r.statusCode(), size + ": " + r.body());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        WebServer web = start(plain()
                .route("/slow", req -> {
                    Thread.sleep(300); // the second request is read while this one runs
                    return HttpResponse.text(200, "first");
                }, 0, false)
                .route("/fast", req -> HttpResponse.text(200, "second"), 100, false));
        try (Socket s = new Socket("127.0.0.1", web.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /fast HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            int first = all.indexOf("first");
            int second = all.indexOf("second");
            int third = all.indexOf("second", second + 1);
            assertTrue(first > 0 && second > first && third > second, all);
            assertEquals(3, all.split("HTTP/1.1 200 OK").length - 1, all);
        }
    }

    @Test
    void oversizedAndMalformedRequestHeadsGetAClearRefusal() throws Exception {
        WebServer web = start(plain().route("/r", req -> HttpResponse.text(200, "ok"), 0, false));
        var r = get(web, "/r", "X-Big", "x".repeat(20_000));
        assertEquals(431, r.statusCode());
        assertTrue(r.body().startsWith("bad request, too long"), r.body());
        assertEquals(414, get(web, "/r?" + "q".repeat(5000)).statusCode());
        assertEquals(200, get(web, "/r").statusCode());
        try (Socket s = new Socket("127.0.0.1", web.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write("GET /r HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        }
    }
}
