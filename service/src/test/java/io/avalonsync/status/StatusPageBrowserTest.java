package io.avalonsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import io.avalonsync.SyncHarness;
import io.avalonsync.sandbox.DriveSimulator;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.SamplePublishes;
import io.avalonsync.sandbox.SampleProduction;
import io.avalonsync.sync.SyncRun;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The status page in a real headless browser (Debian's chromium through chromedriver): after a real Kitsu sync and
 * a failed upload it shows the sources, the last full sync and the failed file, and its reset button resets the
 * file's tries in the page and in MongoDB.
 */
class StatusPageBrowserTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /** User data in a project name: shown as text, never as markup. */
    private static final String ODD_PROJECT = "<i>Tom & Jerry's</i>";

    @TempDir
    Path dir;
    private DriveSimulator drive;
    private SyncHarness h;
    private WebDriver browser;

    @BeforeEach
    void start() throws Exception {
        assertTrue(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
                "the status page test needs " + CHROMIUM + " and " + CHROMEDRIVER
                        + ": install the Debian packages chromium and chromium-driver (apt-get install chromium chromium-driver)");
        drive = DriveSimulator.start(0, dir.resolve("drive"));
        Path credentials = dir.resolve("gdrive-key.json");
        drive.writeCredentials(credentials);
        Path localRoot = Files.createDirectories(dir.resolve("projects"));
        KitsuData data = new KitsuData();
        SampleProduction.generate(data, SampleProduction.Spec.demo());
        data.addProject(ODD_PROJECT, "tj", "short", "25", "1920x1080");
        h = new SyncHarness(data, Map.of("sitesync.enabled", "true", "sitesync.roots.work", localRoot.toString(),
                "gdrive.roots.work", "/My Drive/work", "gdrive.credentials", credentials.toString(),
                "gdrive.api-url", drive.rootUrl(), "sitesync.loop-delay", "0", "sitesync.redeliveries", "0"));
        this.localRoot = localRoot;

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1500");
        // the driver is given, so Selenium Manager never looks for (or downloads) one
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    private Path localRoot;

    @AfterEach
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
    void showsSyncAndFailuresAndResetsAFailedFile() throws Exception {
        SyncRun run = h.fullSync();
        assertEquals(0, run.exitCode(), run.summary());
        String collection = "Agent_327";
        List<ObjectId> published = SamplePublishes.publish(h.collection(collection), localRoot, "work", "studio", "gdrive",
                List.of(1000L, 2000L));
        // the first file disappears from the studio disk before site sync runs: its upload fails
        Document file = h.collection(collection).find(Filters.eq("_id", published.get(0))).first()
                .getList("files", Document.class).get(0);
        Files.delete(Path.of(file.getString("path").replace("{root[work]}", localRoot.toString())));
        h.app().context().createProducerTemplate().requestBody("direct:sitesync-run", (Object) null);
        assertEquals(1, tries(collection, published.get(0)), "the missing file counted one failed try");

        browser.get("http://127.0.0.1:" + h.statusPort() + "/");
        assertEquals("avalon-sync", browser.getTitle());

        WebElement sources = browser.findElement(By.id("sources"));
        assertTrue(rowOf(sources, "mongo").getText().contains("UP"), sources.getText());
        assertTrue(rowOf(sources, "kitsu").getText().contains("UP"), sources.getText());

        WebElement syncs = browser.findElement(By.id("full-syncs"));
        int written = run.projects().stream().filter(p -> p.project().equals("Agent 327")).findFirst().orElseThrow()
                .plan().writeCount();
        List<WebElement> agent = cells(rowOf(syncs, "Agent 327"));
        assertEquals("kitsu", agent.get(0).getText());
        assertEquals(Integer.toString(written), agent.get(4).getText(), "documents written");
        assertEquals("synced", agent.get(6).getText());
        // the odd project name is text in its cell, not markup
        assertEquals(ODD_PROJECT, cells(rowOf(syncs, "Tom & Jerry")).get(1).getText());
        assertTrue(syncs.findElements(By.tagName("i")).isEmpty(), "a project name was rendered as HTML");

        WebElement events = browser.findElement(By.id("events"));
        assertEquals("0", cells(rowOf(events, "kitsu")).get(1).getText(), "nothing pending");

        WebElement failures = browser.findElement(By.id("failures"));
        WebElement failed = rowOf(failures, collection);
        List<WebElement> f = cells(failed);
        assertTrue(f.get(1).getText().contains(Path.of(file.getString("path")).getFileName().toString()), failed.getText());
        assertEquals("gdrive", f.get(2).getText());
        assertTrue(f.get(3).getText().startsWith("1"), "tries: " + f.get(3).getText());
        assertEquals("LOCAL_MISSING", f.get(4).getText());
        assertFalse(f.get(5).getText().isBlank(), "the error is shown");

        Path shot = Path.of("target", "status-page.png");
        Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        failed.findElement(By.tagName("button")).click();
        // the form posts, the server redirects back to the page
        SyncHarness.await("the page back after the reset", 10_000,
                () -> browser.findElements(By.id("failures")).size() == 1
                        && browser.findElement(By.id("failures")).getText().contains("none"));
        assertEquals("http://127.0.0.1:" + h.statusPort() + "/", browser.getCurrentUrl());
        assertEquals(0, tries(collection, published.get(0)), "tries reset in MongoDB");
    }

    private int tries(String collection, ObjectId representation) {
        Document file = h.collection(collection).find(Filters.eq("_id", representation)).first()
                .getList("files", Document.class).get(0);
        for (Object o : (List<?>) file.get("sites")) {
            if (o instanceof Document site && "gdrive".equals(site.getString("name"))) {
                return site.getInteger("tries", 0);
            }
        }
        throw new AssertionError("no gdrive record on " + file);
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
