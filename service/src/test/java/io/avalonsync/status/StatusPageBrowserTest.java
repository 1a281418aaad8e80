package io.avalonsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.avalonsync.SyncHarness;
import io.avalonsync.journal.EventJournal;
import io.avalonsync.sandbox.DriveSimulator;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.SamplePublishes;
import io.avalonsync.sandbox.SampleProduction;
import io.avalonsync.sitesync.SiteSyncPass;
import io.avalonsync.sync.SyncRun;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.quartz.CronExpression;

/**
 * The status page in a real headless browser (Debian's chromium through chromedriver, in the Asia/Tokyo time zone so
 * local time differs from UTC) against the service as the daemon runs it (schedules on, Kitsu listener off so the
 * journal entries made here stay pending): after a real Kitsu full sync and a site sync pass with one failed upload,
 * every value shown is checked against what MongoDB holds (counts, names, times), the charts against the journal
 * and the transferred files, and the controls (pause, priority, reset, sync now) against the database and the page,
 * which answers them in place. Screenshots: target/status-page.png and target/status-page-controls.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusPageBrowserTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final ZoneId BROWSER_ZONE = ZoneId.of("Asia/Tokyo");
    /** User data in a project name: shown as text, never as markup. */
    private static final String ODD_PROJECT = "<i>Tom & Jerry's</i>";
    /** A schedule whose next time is known: 3:00 on 1 January 2099 (Quartz uses the JVM's zone). */
    private static final String CRON = "0 0 3 1 1 ? 2099";
    private static final String COLLECTION = "Agent_327";
    private static final List<Long> SIZES = List.of(1000L, 2000L, 3000L);

    private DriveSimulator drive;
    private SyncHarness h;
    private WebDriver browser;
    private Path localRoot;
    private SyncRun run;
    private SiteSyncPass pass;
    private List<ObjectId> published;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        assertTrue(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
                "the status page test needs " + CHROMIUM + " and " + CHROMEDRIVER
                        + ": install the Debian packages chromium and chromium-driver (apt-get install chromium chromium-driver)");
        drive = DriveSimulator.start(0, dir.resolve("drive"));
        Path credentials = dir.resolve("gdrive-key.json");
        drive.writeCredentials(credentials);
        localRoot = Files.createDirectories(dir.resolve("projects"));
        KitsuData data = new KitsuData();
        SampleProduction.generate(data, SampleProduction.Spec.demo());
        data.addProject(ODD_PROJECT, "tj", "short", "25", "1920x1080");
        h = new SyncHarness(data, Map.of("sitesync.enabled", "true", "sitesync.roots.work", localRoot.toString(),
                "gdrive.roots.work", "/My Drive/work", "gdrive.credentials", credentials.toString(),
                "gdrive.api-url", drive.rootUrl(), "sitesync.loop-delay", "3600", "sitesync.redeliveries", "0",
                "status.sample-interval", "200", "kitsu.full-sync.cron", CRON));
        // the daemon's way (schedules on), without the listener: nothing applies the journal entries made below
        h.appWithEvents(Map.of("kitsu.events.enabled", "false"));

        run = h.fullSync();
        assertEquals(0, run.exitCode(), run.summary());
        published = SamplePublishes.publish(h.collection(COLLECTION), localRoot, "work", "studio", "gdrive", SIZES);
        // the first file disappears from the studio disk before site sync runs: its upload fails
        Files.delete(localPath(published.get(0)));
        pass = h.app().context().createProducerTemplate().requestBody("direct:sitesync-run", (Object) null, SiteSyncPass.class);
        assertEquals(2, pass.getUploaded(), String.valueOf(pass));
        assertEquals(1, record(published.get(0)).getInteger("tries", 0), "the missing file counted one failed try");

        // three Kitsu events waiting in the journal: the backlog
        EventJournal journal = h.app().context().getRegistry().lookupByNameAndType("eventJournal", EventJournal.class);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            events.add(Map.of("id", "ev-" + i, "name", "shot:update", "project_id", "p", "created_at", "2024-01-01T00:00:00",
                    "data", Map.of("shot_id", "s" + i)));
        }
        assertEquals(3, journal.append("kitsu", events));

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,2600");
        // the driver is given, so Selenium Manager never looks for (or downloads) one; the browser runs in Tokyo
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .withEnvironment(Map.of("TZ", BROWSER_ZONE.getId())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (h != null) {
            h.close();
        }
        if (drive != null) {
            drive.close();
        }
    }

    @Test
    @Order(1)
    void showsSourcesNamesTimesQueueAndChartsAsMongoHoldsThem() throws Exception {
        String page = "http://127.0.0.1:" + h.statusPort() + "/";
        browser.get(page);
        assertEquals("avalon-sync", browser.getTitle());

        // the backlog chart's newest point is the journal's open entries, as MongoDB counts them
        long open = journal().countDocuments(Filters.and(Filters.eq("source", "kitsu"), Filters.in("status", "pending", "failed")));
        assertEquals(3, open);
        // the sampler runs every 200 ms here: reload until its first sample is drawn
        awaitReloaded("the kitsu backlog chart at " + open, () -> Long.toString(open)
                .equals(browser.findElement(By.id("chart-kitsu-backlog")).getAttribute("data-last")));
        // the lag chart: the age of the oldest open entry when sampled, never more than its age now
        Date journaled = journal().find(Filters.eq("source", "kitsu")).sort(new Document("seq", 1)).first().getDate("journaledAt");
        double lag = Double.parseDouble(browser.findElement(By.id("chart-kitsu-lag")).getAttribute("data-last"));
        double age = (System.currentTimeMillis() - journaled.getTime()) / 1000.0;
        assertTrue(lag > 0 && lag <= age + 0.5, "lag " + lag + " s, oldest open entry " + age + " s old");
        WebElement events = browser.findElement(By.id("events"));
        assertEquals("3", cells(rowOf(events, "Kitsu")).get(1).getText(), "pending: " + events.getText());

        // sources: last and next sync with their result
        WebElement kitsu = browser.findElement(By.cssSelector("#sources tr[data-source=kitsu]"));
        assertEquals("UP", kitsu.findElement(By.className("state")).getText());
        assertTime(kitsu.findElement(By.cssSelector(".last time")), run.started());
        String result = kitsu.findElement(By.className("result")).getText();
        assertTrue(result.contains("synced " + run.projects().size() + " projects") && result.contains(run.writes() + " written"),
                result + " / " + run.summary());
        Instant nextKitsu = new CronExpression(CRON).getNextValidTimeAfter(new Date()).toInstant();
        assertTime(kitsu.findElement(By.cssSelector(".next time")), nextKitsu);
        WebElement shotgrid = browser.findElement(By.cssSelector("#sources tr[data-source=shotgrid]"));
        assertTrue(shotgrid.getText().contains("not configured"), shotgrid.getText());
        WebElement siteSync = browser.findElement(By.cssSelector("#sources tr[data-source=sitesync]"));
        assertTime(siteSync.findElement(By.cssSelector(".last time")), pass.finished());
        assertTrue(siteSync.findElement(By.className("result")).getText().contains("2 uploaded"), siteSync.getText());
        Instant nextPass = Instant.parse(siteSync.findElement(By.cssSelector(".next time")).getAttribute("datetime"));
        assertTrue(nextPass.isAfter(Instant.now().plusSeconds(3000)) && nextPass.isBefore(Instant.now().plusSeconds(3601)),
                "the loop runs hourly: next pass " + nextPass);

        // one name per project: the tracker label and the Avalon name together, the same in every table
        Document project = h.project(COLLECTION);
        String name = project.get("data", Document.class).getString("label") + " " + project.getString("name");
        assertEquals("Agent 327 Agent_327", name);
        assertEquals(name, projectCell(rowOf(browser.findElement(By.id("full-syncs")), "Agent 327")));
        assertEquals(name, projectCell(rowOf(browser.findElement(By.id("queue")), "Agent 327")));
        assertEquals(name, projectCell(rowOf(browser.findElement(By.id("failures")), "Agent 327")));
        // the odd project name is text in its cell, not markup
        WebElement syncs = browser.findElement(By.id("full-syncs"));
        assertTrue(projectCell(rowOf(syncs, "Tom & Jerry")).startsWith(ODD_PROJECT), syncs.getText());
        assertTrue(syncs.findElements(By.tagName("i")).isEmpty(), "a project name was rendered as HTML");

        // the queue of Agent_327 on gdrive: done and not done as the representations say
        List<WebElement> queue = cells(rowOf(browser.findElement(By.id("queue")), "Agent 327"));
        assertEquals("gdrive", queue.get(1).getText());
        long done = 0;
        long notDone = 0;
        long bytes = 0;
        for (ObjectId id : published) {
            if (record(id).get("created_dt") != null) {
                done++;
                bytes += file(id).getLong("size");
            } else {
                notDone++;
            }
        }
        assertEquals(Long.toString(done), queue.get(3).getText(), "done");
        long shownNotDone = 0;
        for (int i = 4; i <= 9; i++) {
            shownNotDone += Long.parseLong(queue.get(i).getText());
        }
        assertEquals(notDone, shownNotDone, "in progress + queued + waiting + failed + paused + blocked");
        // the throughput chart counts the two uploads and their bytes
        WebElement throughput = browser.findElement(By.id("chart-sitesync-throughput"));
        assertEquals(Long.toString(done), throughput.getAttribute("data-files"));
        assertEquals(Long.toString(bytes), throughput.getAttribute("data-bytes"));

        // the failed file: its error and its last failure in local time, UTC on hover
        WebElement failed = rowOf(browser.findElement(By.id("failures")), "Agent 327");
        assertTrue(failed.getText().contains(localPath(published.get(0)).getFileName().toString()), failed.getText());
        assertTrue(failed.getText().contains("LOCAL_MISSING"), failed.getText());
        assertTime(failed.findElement(By.cssSelector(".failed-at time")), record(published.get(0)).getDate("last_failed_dt").toInstant());

        // offline: nothing comes from anywhere but the status server (no CDN, font or image elsewhere)
        String origin = "http://127.0.0.1:" + h.statusPort() + "/";
        List<?> loaded = (List<?>) ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('resource').map(function (e) { return e.name; });");
        assertEquals(List.of(), loaded.stream().map(String::valueOf).filter(u -> !u.startsWith(origin)).toList(),
                "fetched from elsewhere");
        String html = browser.getPageSource();
        assertEquals(List.of(), java.util.regex.Pattern.compile("(?:src|href|action)=\"(?!/|#)[^\"]*\"|url\\(|@import")
                .matcher(html).results().map(java.util.regex.MatchResult::group).toList(), "a reference out of the page");

        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "status-page.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    @Order(2)
    void controlsChangeTheDatabaseAndAnswerInThePage() throws Exception {
        String page = "http://127.0.0.1:" + h.statusPort() + "/";
        browser.get(page);
        ObjectId id = published.get(0);

        // pause: the record is paused, the row says so, and the browser never left the page
        control("pause", () -> failedRow().findElement(By.cssSelector("form[data-op=pause] button")).click(), "paused: ");
        SyncHarness.await("the file paused in MongoDB", 10_000, () -> Boolean.TRUE.equals(record(id).getBoolean("paused")));
        awaitPage("the row shows it paused", () -> failedRow().findElement(By.className("run-state")).getText().equals("paused"));
        assertEquals(page, browser.getCurrentUrl());
        assertEquals("avalon-sync", browser.getTitle());
        // and resumed again
        control("resume", () -> failedRow().findElement(By.cssSelector("form[data-op=pause] button")).click(), "resumed: ");
        SyncHarness.await("the file resumed in MongoDB", 10_000, () -> record(id).get("paused") == null);

        // priority: set in the row, stored on the record, shown back
        control("priority 700", () -> setPriority("700"), "priority 700");
        SyncHarness.await("priority 700 in MongoDB", 10_000, () -> Integer.valueOf(700).equals(record(id).getInteger("priority")));
        awaitPage("the row shows priority 700", () -> "700".equals(
                failedRow().findElement(By.cssSelector("form[data-op=priority] input[name=value]")).getAttribute("value")));
        // a value the service refuses: its reason in the page, the record unchanged
        control("priority 5000", () -> setPriority("5000"), "value must be from 1 to 1000");
        assertEquals(700, record(id).getInteger("priority"));
        assertEquals(page, browser.getCurrentUrl());

        Files.write(Path.of("target", "status-page-controls.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        // reset: tries forgotten in MongoDB, the failed file gone from the table
        control("reset", () -> failedRow().findElement(By.cssSelector("form[data-op=reset] button")).click(), "reset: ");
        SyncHarness.await("tries reset in MongoDB", 10_000, () -> record(id).getInteger("tries", 0) == 0);
        awaitPage("no failed file left", () -> browser.findElement(By.id("failures")).getText().contains("none"));

        // sync now: the pass summary in the page (the file is still missing: it fails again)
        control("sync now", () -> browser.findElement(By.cssSelector("form[data-op=run] button")).click(), "site sync pass");
        assertEquals(page, browser.getCurrentUrl());
        awaitPage("the failed file back after the pass", () -> browser.findElements(By.cssSelector("#failures tr[data-file]")).size() == 1);
        assertEquals(1, record(id).getInteger("tries", 0));
    }

    /**
     * What a page load costs the service: MongoDB commands (counted by the driver's command listener into
     * mongodb_driver_commands_seconds) and time, with the sampler and the schedules idle.
     */
    @Test
    @Order(3)
    void aPageLoadCostsLittle() throws Exception {
        PrometheusMeterRegistry registry = h.app().context().getRegistry().lookupByNameAndType("metricsRegistry",
                PrometheusMeterRegistry.class);
        h.app().context().getRouteController().stopRoute("status-samples");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.statusPort() + "/")).GET().build();
        http.send(get, HttpResponse.BodyHandlers.ofString()); // warm
        int loads = 20;
        List<Long> commands = new ArrayList<>();
        List<Long> millis = new ArrayList<>();
        int size = 0;
        for (int i = 0; i < loads; i++) {
            long before = commands(registry);
            long started = System.nanoTime();
            HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
            millis.add((System.nanoTime() - started) / 1_000_000);
            commands.add(commands(registry) - before);
            assertEquals(200, response.statusCode());
            size = response.body().length();
        }
        // and a load whose site sync figures are due again (as after 5 s or an operation): the projects are read
        h.app().context().getRegistry().lookupByNameAndType("statusFigures", StatusFigures.class).siteSyncChanged();
        long before = commands(registry);
        long started = System.nanoTime();
        assertEquals(200, http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode());
        long dueMillis = (System.nanoTime() - started) / 1_000_000;
        long due = commands(registry) - before;
        h.app().context().getRouteController().startRoute("status-samples");
        List<Long> sortedMillis = millis.stream().sorted().toList();
        long projects = h.client.getDatabase("avalon").listCollectionNames().into(new ArrayList<>()).size();
        System.out.println("status page load: " + size + " bytes, " + projects + " projects, MongoDB commands per load "
                + commands + " (site sync figures reused), " + due + " when they are read again (" + dueMillis
                + " ms); median " + sortedMillis.get(loads / 2) + " ms, max " + sortedMillis.get(loads - 1) + " ms");
        // reused: the health checks and the journal figures per source only
        long cached = commands.stream().sorted().toList().get(loads / 2);
        assertTrue(cached <= 12, "a load within the site sync figures' lifetime reads no project: " + commands);
        // read again: also the project list and each project's name, queue and failures
        assertTrue(due > cached && due <= cached + 1 + 3 * projects, "MongoDB commands of a load that reads the site sync"
                + " figures: " + due + " with " + projects + " projects (reused: " + commands + ")");
        assertTrue(size < 64 * 1024, "the page is " + size + " bytes");
    }

    /** Without JavaScript (README, "The status page"): UTC times, and a control is a form that posts and comes back. */
    @Test
    @Order(4)
    void withoutJavaScriptTheFormsPostAndComeBack() throws Exception {
        ChromeDriver chrome = (ChromeDriver) browser;
        chrome.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", true));
        try {
            String page = "http://127.0.0.1:" + h.statusPort() + "/";
            browser.get(page);
            ObjectId id = published.get(0);
            assertTrue(record(id).get("paused") == null, "the failed file is active before");
            WebElement at = failedRow().findElement(By.cssSelector(".failed-at time"));
            assertEquals(at.getAttribute("title"), at.getText(), "the time as the server wrote it, in UTC");
            assertEquals("", notice(), "no script answers here");

            failedRow().findElement(By.cssSelector("form[data-op=pause] button")).click();
            SyncHarness.await("the file paused by a plain form post", 10_000, () -> Boolean.TRUE.equals(record(id).getBoolean("paused")));
            awaitPage("back on the page, the row paused", () -> browser.getCurrentUrl().equals(page)
                    && failedRow().findElement(By.className("run-state")).getText().equals("paused"));
            failedRow().findElement(By.cssSelector("form[data-op=pause] button")).click();
            SyncHarness.await("the file resumed by a plain form post", 10_000, () -> record(id).get("paused") == null);
            awaitPage("back on the page, the row active", () -> browser.getCurrentUrl().equals(page)
                    && failedRow().findElement(By.className("run-state")).getText().equals("active"));
        } finally {
            chrome.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", false));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static long commands(PrometheusMeterRegistry registry) {
        return registry.find("mongodb.driver.commands").timers().stream().mapToLong(Timer::count).sum();
    }

    private void setPriority(String value) {
        WebElement input = failedRow().findElement(By.cssSelector("form[data-op=priority] input[name=value]"));
        input.clear();
        input.sendKeys(value);
        failedRow().findElement(By.cssSelector("form[data-op=priority] button")).click();
    }

    private WebElement failedRow() {
        return browser.findElement(By.cssSelector("#failures tr[data-file]"));
    }

    private String notice() {
        return browser.findElement(By.id("notice")).getText();
    }

    /**
     * A control used as a person would: once the page is not redrawing itself ({@code aria-busy} on {@code main}),
     * the action (retried when the page's own refresh replaced its elements first: a stale element is never clicked),
     * then the answer in the notice and the redraw after it.
     */
    private void control(String what, Runnable action, String answer) throws InterruptedException {
        awaitPage("the page idle before " + what, this::idle);
        for (int attempt = 1; ; attempt++) {
            try {
                action.run();
                break;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
                awaitPage("the page idle before " + what + " (try " + (attempt + 1) + ")", this::idle);
            }
        }
        awaitPage(what + " answered in the page and redrawn", // not the "…" shown while the request runs
                () -> notice().contains(answer) && !notice().endsWith("…") && idle());
    }

    private boolean idle() {
        return browser.findElement(By.id("main")).getAttribute("aria-busy") == null;
    }

    /** Waits for a condition on the page (the page refreshes itself; stale elements are retried). */
    private void awaitPage(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        await(what, condition, false);
    }

    /** The same, reloading the page between looks (for what the page's own 10 s refresh would show too late). */
    private void awaitReloaded(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        await(what, condition, true);
    }

    private void await(String what, java.util.function.BooleanSupplier condition, boolean reload) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        String seen = "";
        while (System.currentTimeMillis() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (org.openqa.selenium.WebDriverException e) {
                seen = e.getClass().getSimpleName();
            }
            Thread.sleep(100);
            if (reload) {
                browser.navigate().refresh();
            }
        }
        String notice = browser.findElements(By.id("notice")).isEmpty() ? "(no notice)" : notice();
        throw new AssertionError("timed out after 20 s waiting for " + what + " (" + seen + "); notice: " + notice
                + "; page: " + browser.findElement(By.tagName("body")).getText());
    }

    /** A time shown in the browser's zone, to the second, with the UTC time in its tooltip and datetime. */
    private static void assertTime(WebElement time, Instant expected) {
        Instant at = expected.truncatedTo(ChronoUnit.SECONDS);
        assertEquals(at, Instant.parse(time.getAttribute("datetime")), "datetime of " + time.getText());
        assertEquals(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(at) + " UTC",
                time.getAttribute("title"));
        String local = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(BROWSER_ZONE).format(at);
        assertTrue(time.getText().startsWith(local), "shown in the browser's zone: " + time.getText() + ", expected " + local);
    }

    private MongoCollection<Document> journal() {
        return h.client.getDatabase("avalon_sync").getCollection("event_journal");
    }

    private Document file(ObjectId representation) {
        return h.collection(COLLECTION).find(Filters.eq("_id", representation)).first().getList("files", Document.class).get(0);
    }

    private Document record(ObjectId representation) {
        for (Object o : (List<?>) file(representation).get("sites")) {
            if (o instanceof Document site && "gdrive".equals(site.getString("name"))) {
                return site;
            }
        }
        throw new AssertionError("no gdrive record on " + representation);
    }

    private Path localPath(ObjectId representation) {
        return Path.of(file(representation).getString("path").replace("{root[work]}", localRoot.toString()));
    }

    private static String projectCell(WebElement row) {
        WebElement project = row.findElement(By.className("project"));
        assertNotNull(project);
        return project.getText();
    }

    private static WebElement rowOf(WebElement table, String firstCellsContain) {
        for (WebElement row : table.findElements(By.tagName("tr"))) {
            List<WebElement> cells = cells(row);
            if (cells.size() > 1 && (cells.get(0).getText().contains(firstCellsContain)
                    || cells.get(1).getText().contains(firstCellsContain))) {
                return row;
            }
        }
        throw new AssertionError("no row with '" + firstCellsContain + "' in: " + table.getText());
    }

    private static List<WebElement> cells(WebElement row) {
        return row.findElements(By.tagName("td"));
    }
}
