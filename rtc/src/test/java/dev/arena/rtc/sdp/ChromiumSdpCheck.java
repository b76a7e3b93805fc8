package dev.arena.rtc.sdp;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Minimal Selenium driver for Debian's headless chromium that checks SDP: {@link #createOffer(String)} makes an
 * RTCPeerConnection on about:blank and returns its offer; {@link #setRemoteAnswer(String)} applies an answer and
 * returns null when setRemoteDescription resolved, else Chromium's error message. One browser, one page, one
 * peer connection at a time (a new offer closes the previous one).
 */
public final class ChromiumSdpCheck implements AutoCloseable {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final Path userDataDir;
    private final ChromeDriver driver;

    private ChromiumSdpCheck(Path userDataDir, ChromeDriver driver) {
        this.userDataDir = userDataDir;
        this.driver = driver;
    }

    public static ChromiumSdpCheck start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("arena-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM);
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--allow-loopback-in-peer-connection", "--user-data-dir=" + dir);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        d.get("about:blank");
        return new ChromiumSdpCheck(dir, d);
    }

    /**
     * Creates a new RTCPeerConnection {@code pc} (no ICE servers), runs {@code setupJs} (JavaScript that may use
     * {@code pc}, e.g. {@code pc.addTransceiver('audio')}), then createOffer and setLocalDescription, and returns
     * the offer's SDP
     * (WebDriver returns it with LF line endings).
     */
    public String createOffer(String setupJs) {
        Object r = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  if (window.pc) { window.pc.close(); }
                  const pc = new RTCPeerConnection({ iceServers: [] });
                  window.pc = pc;
                  %s
                  const offer = await pc.createOffer();
                  await pc.setLocalDescription(offer);
                  return pc.localDescription.sdp;
                })().then(done, e => done('ERROR: ' + e));
                """.formatted(setupJs));
        String sdp = String.valueOf(r);
        if (sdp.startsWith("ERROR: ")) {
            throw new IllegalStateException("Chromium createOffer failed: " + sdp);
        }
        return sdp;
    }

    /** Applies an answer to the current peer connection: null when it resolved, else the error text. */
    public String setRemoteAnswer(String sdp) {
        Object r = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                window.pc.setRemoteDescription({ type: 'answer', sdp: arguments[0] })
                  .then(() => done(null), e => done(String(e)));
                """, sdp);
        return r == null ? null : String.valueOf(r);
    }

    /** Evaluates a JavaScript expression on the page (e.g. {@code pc.signalingState}). */
    public Object eval(String expression) {
        return driver.executeScript("return " + expression + ";");
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> s = Files.walk(userDataDir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
