package dev.arena.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.arena.rtc.peers.ChromiumPeer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The UI components in real headless Chromium with local streams only (canvas.captureStream, the fake camera):
 * the grid's layout for 1, 2 and 5 tiles, a portrait container, a re-layout on resize, a 4:3 video, and the device
 * picker's list of the fake devices. The built files (target/classes/arena-web) are served by a small HTTP server.
 */
class ComponentsChromiumTest {
    private static final double EPS = 1.5;
    private static HttpServer http;
    private static ChromiumPeer chrome;

    record Box(String id, double x, double y, double width, double height, String label) {
        double right() {
            return x + width;
        }

        double bottom() {
            return y + height;
        }
    }

    record Shown(long columns, long rows, List<Box> boxes) {
    }

    @BeforeAll
    static void start() throws IOException {
        Path root = Path.of("target/classes/arena-web").toAbsolutePath();
        assertTrue(Files.isRegularFile(root.resolve("components/arena-components.js")), "build the web module first: " + root);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            byte[] body = null;
            if (path.equals("/test.html")) {
                try (InputStream in = ComponentsChromiumTest.class.getResourceAsStream("components-test.html")) {
                    body = in.readAllBytes();
                }
            } else {
                Path file = root.resolve(path.substring(1)).normalize();
                if (file.startsWith(root) && Files.isRegularFile(file)) {
                    body = Files.readAllBytes(file);
                }
            }
            ex.getResponseHeaders().add("Content-Type", contentType(path));
            ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                if (body != null) {
                    out.write(body);
                }
            }
        });
        http.start();
        chrome = ChromiumPeer.start();
        chrome.open("http://127.0.0.1:" + http.getAddress().getPort() + "/test.html");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Boolean.TRUE.equals(chrome.evaluate("window.ready === true"))) {
            assertTrue(System.nanoTime() < deadline, "the test page did not load its module");
            sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (chrome != null) {
            chrome.close();
        }
        if (http != null) {
            http.stop(0);
        }
    }

    private static String contentType(String path) {
        if (path.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (path.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (path.endsWith(".map") || path.endsWith(".json")) {
            return "application/json";
        }
        return "text/html; charset=utf-8";
    }

    private static Shown shown(Object result) {
        Map<?, ?> m = (Map<?, ?>) result;
        Map<?, ?> layout = (Map<?, ?>) m.get("layout");
        List<Box> boxes = new ArrayList<>();
        for (Object o : (List<?>) m.get("boxes")) {
            Map<?, ?> b = (Map<?, ?>) o;
            boxes.add(new Box((String) b.get("id"), num(b.get("x")), num(b.get("y")), num(b.get("width")),
                    num(b.get("height")), (String) b.get("label")));
        }
        return new Shown(((Number) layout.get("columns")).longValue(), ((Number) layout.get("rows")).longValue(), boxes);
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    private static Shown show(int n, int width, int height) {
        return shown(chrome.evaluate("window.showTiles(" + n + ", " + width + ", " + height + ")"));
    }

    /** Every tile inside the container, none overlapping another, each with its label. */
    private static void assertSane(Shown s, int n, int width, int height) {
        assertEquals(n, s.boxes().size(), s.toString());
        for (Box b : s.boxes()) {
            assertTrue(b.x() >= -EPS && b.y() >= -EPS && b.right() <= width + EPS && b.bottom() <= height + EPS,
                    "tile outside the grid: " + b);
            assertTrue(b.label().startsWith("Tile "), "label: " + b);
        }
        for (int i = 0; i < s.boxes().size(); i++) {
            for (int j = i + 1; j < s.boxes().size(); j++) {
                Box a = s.boxes().get(i);
                Box b = s.boxes().get(j);
                boolean apart = a.right() <= b.x() + EPS || b.right() <= a.x() + EPS || a.bottom() <= b.y() + EPS
                        || b.bottom() <= a.y() + EPS;
                assertTrue(apart, "tiles overlap: " + a + " " + b);
            }
        }
    }

    private static double area(Shown s) {
        return s.boxes().stream().mapToDouble(b -> b.width() * b.height()).sum();
    }

    @Test
    void oneTileFillsA16by9Container() {
        Shown s = show(1, 800, 450);
        assertSane(s, 1, 800, 450);
        assertEquals(1, s.columns());
        Box b = s.boxes().getFirst();
        assertEquals(800, b.width(), 2, b.toString());
        assertEquals(450, b.height(), 2, b.toString());
    }

    @Test
    void twoTilesSideBySideInAWideContainerAndStackedInATallOne() {
        Shown wide = show(2, 800, 450);
        assertSane(wide, 2, 800, 450);
        assertEquals(2, wide.columns());
        assertEquals(wide.boxes().get(0).y(), wide.boxes().get(1).y(), EPS, "same row: " + wide);
        assertTrue(wide.boxes().get(0).x() < wide.boxes().get(1).x(), wide.toString());
        assertEquals(16.0 / 9, wide.boxes().get(0).width() / wide.boxes().get(0).height(), 0.02);
        assertTrue(area(wide) > 0.45 * 800 * 450, "tiles use the space: " + wide);

        Shown tall = show(2, 400, 800);
        assertSane(tall, 2, 400, 800);
        assertEquals(1, tall.columns());
        assertEquals(tall.boxes().get(0).x(), tall.boxes().get(1).x(), EPS, "same column: " + tall);
        assertTrue(tall.boxes().get(0).bottom() <= tall.boxes().get(1).y() + EPS, tall.toString());
        assertEquals(400, tall.boxes().get(0).width(), 2);
    }

    @Test
    void fiveTilesInThreeColumnsWithTheLastRowCentred() {
        Shown s = show(5, 800, 450);
        assertSane(s, 5, 800, 450);
        assertEquals(3, s.columns());
        assertEquals(2, s.rows());
        List<Box> b = s.boxes();
        assertEquals(b.get(0).y(), b.get(2).y(), EPS);
        assertEquals(b.get(3).y(), b.get(4).y(), EPS);
        assertTrue(b.get(3).y() > b.get(0).bottom() - EPS, "second row below the first: " + s);
        double lastRowCentre = (b.get(3).x() + b.get(4).right()) / 2;
        assertEquals(400, lastRowCentre, 2, "last row centred: " + s);
        double blockCentre = (b.get(0).y() + b.get(3).bottom()) / 2;
        assertEquals(225, blockCentre, 2, "grid centred vertically: " + s);
        // Better than the alternatives (one row, two columns): about 260 px wide tiles.
        assertTrue(b.get(0).width() > 250, s.toString());
    }

    @Test
    void relaysOutWhenTheContainerIsResized() {
        Shown wide = show(2, 800, 450);
        assertEquals(2, wide.columns());
        Shown tall = shown(chrome.evaluate("window.resizeTo(400, 800)"));
        assertSane(tall, 2, 400, 800);
        assertEquals(1, tall.columns(), tall.toString());
    }

    @Test
    void aTileTakesTheAspectRatioOfItsVideo() {
        Shown s = shown(chrome.evaluate("window.showTiles(2, 800, 450, [[480, 360], [640, 360]])"));
        assertSane(s, 2, 800, 450);
        assertEquals(4.0 / 3, s.boxes().get(0).width() / s.boxes().get(0).height(), 0.02, s.toString());
        assertEquals(16.0 / 9, s.boxes().get(1).width() / s.boxes().get(1).height(), 0.02, s.toString());
    }

    @Test
    void devicePickerListsTheFakeDevices() {
        Map<?, ?> m = (Map<?, ?>) chrome.evaluate("window.listDevices()");
        List<?> mics = (List<?>) m.get("audioinput");
        List<?> cams = (List<?>) m.get("videoinput");
        assertFalse(mics.isEmpty(), "microphones: " + m);
        assertFalse(cams.isEmpty(), "cameras: " + m);
        assertEquals(((Number) m.get("enumerated")).intValue(), mics.size() + cams.size(), m.toString());
        for (Object label : cams) {
            assertFalse(String.valueOf(label).isBlank(), "labels after permission: " + m);
        }
    }

    @Test
    void hostComponentsFireEvents() {
        chrome.evaluate("(() => { const q = document.getElementById('queue'); q.hands = [{identity: 'bob', name: 'Bob'}];"
                + " document.querySelector('[data-testid=approve-bob]').click();"
                + " const p = document.getElementById('people'); p.canManage = true;"
                + " p.participants = [{identity: 'ann', name: 'Ann', role: 'speaker'}, {identity: 'me', name: 'Me', role: 'host', self: true}];"
                + " document.querySelector('[data-testid=demote-ann]').click();"
                + " const c = document.getElementById('chat'); c.querySelector('input').value = 'hello';"
                + " c.querySelector('button').click(); return true; })()");
        String events = String.valueOf(chrome.evaluate("JSON.stringify(window.componentEvents)"));
        assertTrue(events.contains("{\"type\":\"hand-approve\",\"detail\":{\"identity\":\"bob\"}}"), events);
        assertTrue(events.contains("{\"type\":\"participant-demote\",\"detail\":{\"identity\":\"ann\"}}"), events);
        assertTrue(events.contains("{\"type\":\"chat-send\",\"detail\":{\"text\":\"hello\"}}"), events);
        assertFalse(events.contains("demote-me"), events);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
