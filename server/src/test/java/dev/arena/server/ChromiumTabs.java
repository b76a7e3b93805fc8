package dev.arena.server;

import dev.arena.rtc.peers.ChromiumPeer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Debian Chromium (through /usr/bin/chromedriver) with one tab per participant: several pages in one
 * browser cost far less than several browsers. Fake camera and microphone, {@code --allow-loopback-in-peer-connection}
 * (a loopback-only network namespace has nothing else), and no throttling of background tabs, since only one tab is
 * in front at a time. Each {@link Tab} switches to itself before it runs a script.
 */
final class ChromiumTabs implements AutoCloseable {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path logDir;
    private final List<Tab> tabs = new ArrayList<>();
    private boolean firstTabUsed;

    /** One page in its own tab. */
    final class Tab {
        private final String handle;
        private final String name;

        private Tab(String handle, String name) {
            this.handle = handle;
            this.name = name;
        }

        String name() {
            return name;
        }

        /** Evaluates a JavaScript expression in the page, awaiting it if it is a promise; returns the result. */
        Object eval(String expression) {
            synchronized (ChromiumTabs.this) {
                driver.switchTo().window(handle);
                String script = "const done = arguments[arguments.length - 1];"
                        + "Promise.resolve().then(() => (" + expression + "))"
                        + ".then(r => done({ok: r === undefined ? null : r}), e => done({error: String(e && e.stack || e)}));";
                Object r = ((JavascriptExecutor) driver).executeAsyncScript(script);
                if (!(r instanceof Map<?, ?> m) || m.containsKey("error")) {
                    throw new IllegalStateException(name + ": " + expression + " failed: " + r);
                }
                return m.get("ok");
            }
        }

        /** Saves a PNG of the page (for a failing test's report, or to look at the UI). */
        Path screenshot(String file) {
            synchronized (ChromiumTabs.this) {
                driver.switchTo().window(handle);
                Path out = logDir.resolve(file);
                try {
                    Files.write(out, driver.getScreenshotAs(OutputType.BYTES));
                } catch (IOException | RuntimeException e) {
                    return null;
                }
                return out;
            }
        }

        /** Reloads the page. */
        void reload() {
            synchronized (ChromiumTabs.this) {
                driver.switchTo().window(handle);
                driver.navigate().refresh();
            }
        }

        boolean evalBoolean(String expression) {
            return Boolean.TRUE.equals(eval(expression));
        }

        /** Polls the expression until the condition holds on its result; fails with {@code what} and the page's log. */
        Object await(String what, String expression, Predicate<Object> condition, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            Object last = null;
            while (true) {
                last = eval(expression);
                if (condition.test(last)) {
                    return last;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(name + ": " + what + " not within " + timeout + "; last " + last
                            + "; page log " + eval("JSON.stringify((window.arenaTest && window.arenaTest.log || []).slice(-40))"));
                }
                sleep(200);
            }
        }

        Object awaitTrue(String what, String expression, Duration timeout) {
            return await(what, expression, Boolean.TRUE::equals, timeout);
        }
    }

    ChromiumTabs(Path logDir) {
        this.logDir = logDir;
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path profile = logDir.resolve("profile-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        ChromeDriverService svc = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(ChromiumPeer.CHROMEDRIVER)).usingAnyFreePort()
                .withLogFile(logDir.resolve("chromedriver.log").toFile()).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(ChromiumPeer.CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows", "--disable-dev-shm-usage",
                "--window-size=1280,800", "--user-data-dir=" + profile);
        ChromeDriver drv;
        try {
            drv = new ChromeDriver(svc, options);
        } catch (RuntimeException e) {
            svc.stop();
            throw new IllegalStateException("cannot start Chromium (" + ChromiumPeer.CHROMIUM + ", "
                    + ChromiumPeer.CHROMEDRIVER + "); chromedriver log in " + logDir, e);
        }
        drv.manage().timeouts().scriptTimeout(SCRIPT_TIMEOUT);
        this.service = svc;
        this.driver = drv;
    }

    /** Opens {@code url} in a new tab (the first one uses the window Chromium started with). */
    synchronized Tab open(String name, String url) {
        if (firstTabUsed) {
            driver.switchTo().newWindow(WindowType.TAB);
        }
        firstTabUsed = true;
        driver.get(url);
        Tab tab = new Tab(driver.getWindowHandle(), name);
        tabs.add(tab);
        return tab;
    }

    /** Screenshots of every tab, NAME.png in {@link #logDir()}: what each page showed when a test failed. */
    synchronized void screenshotAll() {
        for (Tab t : tabs) {
            t.screenshot(t.name() + ".png");
        }
    }

    Path logDir() {
        return logDir;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            driver.quit();
        } catch (RuntimeException ignored) {
            // the service stop below ends chromedriver
        }
        service.stop();
    }
}
