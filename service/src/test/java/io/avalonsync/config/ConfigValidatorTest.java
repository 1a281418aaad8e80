package io.avalonsync.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs {@code validate} on a copy of the shipped routes and application.properties
 * (src/test/resources/validate-fixture) with one mistake an operator could make at a time.
 */
class ConfigValidatorTest {

    private static final String PROPERTIES = "application.properties";
    private static final String KITSU_ROUTES = "routes/kitsu-full-sync.camel.yaml";
    private static final String ERROR_ROUTES = "routes/errors.camel.yaml";
    private static final String STATUS_ROUTES = "routes/status.camel.yaml";

    @TempDir
    Path folder;

    private final Map<String, String> env = new HashMap<>();
    private final Properties system = new Properties();

    @BeforeEach
    void copyShippedFiles() throws Exception {
        Path fixture = Path.of(ConfigValidatorTest.class.getResource("/validate-fixture").toURI());
        try (Stream<Path> files = Files.walk(fixture)) {
            for (Path source : files.toList()) {
                Path target = folder.resolve(fixture.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        // the one setting the shipped file leaves to the installation
        setProperty("avalon.mongo-uri", "mongodb://localhost:27017");
    }

    @Test
    void shippedFilesAreValid() throws Exception {
        Result result = validate();
        assertEquals("validate: OK (8 route files, 46 routes)", result.output().strip());
        assertEquals(0, result.exitCode());
    }

    /** The repository's own files (tests run in the project folder): catches a key or bean added without telling the validator. */
    @Test
    void repositoryFilesAreValid() throws Exception {
        Path repository = Path.of("").toAbsolutePath();
        Properties fileProperties = new Properties();
        try (Reader reader = Files.newBufferedReader(repository.resolve(PROPERTIES), StandardCharsets.UTF_8)) {
            fileProperties.load(reader);
        }
        Settings settings = new Settings(repository.resolve(PROPERTIES), fileProperties, Map.of(), new Properties());
        settings.override("avalon.mongo-uri", "mongodb://localhost:27017");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exitCode = ConfigValidator.run(repository, settings, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(0, exitCode, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void mongoUriFromTheEnvironmentCounts() throws Exception {
        setProperty("avalon.mongo-uri", "");
        env.put("AVALON_MONGO", "mongodb+srv://cluster.example.com");
        assertEquals(0, validate().exitCode());
    }

    @Test
    void missingMongoUri() throws Exception {
        setProperty("avalon.mongo-uri", "");
        Result result = validate();
        assertEquals(1, result.exitCode());
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "avalon.mongo-uri ="), "avalon.mongo-uri is not set");
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "avalon.mongo-uri ="), "AVALON_MONGO");
        assertTrue(result.output().endsWith("validate: 1 problem(s)" + System.lineSeparator()), result.output());
    }

    @Test
    void mongoUriWithAnotherSchemeIsReportedWithoutItsPassword() throws Exception {
        setProperty("avalon.mongo-uri", "mysql://admin:hunter2@db.example.com");
        Result result = validate();
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "avalon.mongo-uri ="), "must start with mongodb://");
        assertFalse(result.output().contains("hunter2"), result.output());
    }

    @Test
    void statusServerOpenToTheNetworkWithoutAuthIsAWarning() throws Exception {
        setProperty("status.bind", "0.0.0.0");
        Result result = validate();
        assertEquals(0, result.exitCode(), result.output());
        int line = lineOf(PROPERTIES, "status.bind =");
        assertTrue(result.output().contains(PROPERTIES + ":" + line + ": warning: status.bind 0.0.0.0 is not a loopback"
                + " address and status.user is not set"), result.output());
        assertTrue(result.output().contains("validate: OK (") && result.output().contains(", 1 warning(s))"), result.output());

        appendProperty("status.user", "ops");
        appendProperty("status.password", "hunter2");
        Result withAuth = validate();
        assertEquals(0, withAuth.exitCode(), withAuth.output());
        assertFalse(withAuth.output().contains("warning"), withAuth.output());
        assertFalse(withAuth.output().contains("hunter2"), withAuth.output());
    }

    @Test
    void statusUserWithoutPasswordIsAProblem() throws Exception {
        appendProperty("status.user", "ops");
        Result result = validate();
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "status.user ="), "status.user is set but status.password is empty");
    }

    @Test
    void yamlSyntaxErrorNamesFileAndLine() throws Exception {
        edit(STATUS_ROUTES, "httpMethodRestrict: GET", "httpMethodRestrict: GET: POST");
        Result result = validate();
        assertEquals(1, result.exitCode());
        result.assertProblem(STATUS_ROUTES, lineOf(STATUS_ROUTES, "httpMethodRestrict"), "YAML syntax error");
    }

    @Test
    void misspeltKeyInARouteIsReportedAtItsLine() throws Exception {
        edit(KITSU_ROUTES, "      steps:", "      stpes:");
        Result result = validate();
        assertEquals(1, result.exitCode());
        result.assertProblem(KITSU_ROUTES, lineOf(KITSU_ROUTES, "stpes:"), "stpes");
    }

    @Test
    void unknownEipIsReportedAtItsLine() throws Exception {
        edit(KITSU_ROUTES, "- filter:", "- fliter:");
        Result result = validate();
        result.assertProblem(KITSU_ROUTES, lineOf(KITSU_ROUTES, "- fliter:"), "fliter");
    }

    /** Camel loads such a file fine and only fails when it builds the route: validate must resolve the endpoint. */
    @Test
    void unknownComponentIsReportedAtItsLine() throws Exception {
        edit(KITSU_ROUTES, "        - to: direct:kitsu-login\n", "        - to: nosuchcomponent:x\n");
        Result result = validate();
        result.assertProblem(KITSU_ROUTES, lineOf(KITSU_ROUTES, "nosuchcomponent:x"),
                "endpoint nosuchcomponent:x: unknown component 'nosuchcomponent'");
        assertEquals(1, result.problemsIn(KITSU_ROUTES).size(), result.output());
    }

    /** The option's own line, with the endpoint behind master: checked too. */
    @Test
    void unknownEndpointOptionIsReportedAtItsLineWithASuggestion() throws Exception {
        edit(KITSU_ROUTES, "uri: timer:kitsu-full-sync-at-start", "uri: master:kitsu:timer:kitsu-full-sync-at-start");
        edit(KITSU_ROUTES, "repeatCount: 1", "repeatCont: 1");
        Result result = validate();
        result.assertProblem(KITSU_ROUTES, lineOf(KITSU_ROUTES, "repeatCont: 1"),
                "unknown option 'repeatCont' of timer endpoint timer:kitsu-full-sync-at-start (did you mean repeatCount?)");
        assertEquals(1, result.problemsIn(KITSU_ROUTES).size(), result.output());
    }

    @Test
    void badEndpointOptionValueIsReportedAtItsLine() throws Exception {
        edit(KITSU_ROUTES, "httpMethod: POST", "httpMethod: PSOT");
        Result result = validate();
        result.assertProblem(KITSU_ROUTES, lineOf(KITSU_ROUTES, "httpMethod: PSOT"), "option httpMethod: 'PSOT' is not valid");
    }

    @Test
    void duplicateRouteIdAcrossFilesNamesBothPlaces() throws Exception {
        edit(STATUS_ROUTES, "id: status-health", "id: kitsu-login");
        Result result = validate();
        int kitsuLine = lineOf(KITSU_ROUTES, "id: kitsu-login");
        int statusLine = lineOf(STATUS_ROUTES, "id: kitsu-login");
        result.assertProblem(KITSU_ROUTES, kitsuLine, "duplicate route id 'kitsu-login' (also at " + STATUS_ROUTES + ":" + statusLine);
        result.assertProblem(STATUS_ROUTES, statusLine, "duplicate route id 'kitsu-login' (also at " + KITSU_ROUTES + ":" + kitsuLine);
    }

    @Test
    void routeWithoutId() throws Exception {
        edit(STATUS_ROUTES, "    id: status-health\n", "");
        Result result = validate();
        result.assertProblem(STATUS_ROUTES, lineOf(STATUS_ROUTES, "- route:"), "route without an id");
    }

    @Test
    void topLevelFromAndYmlFiles() throws Exception {
        Files.writeString(folder.resolve("routes/extra.yaml"), "- from:\n    uri: timer:tick\n    steps:\n      - log: tick\n");
        Files.writeString(folder.resolve("routes/old.yml"), "- route:\n    id: old\n");
        Result result = validate();
        result.assertProblem("routes/extra.yaml", 1, "route without an id");
        result.assertProblem("routes/old.yml", 0, "never loaded: route files must end in .yaml");
    }

    /**
     * Routes made from a route template are routes: they need a routeId and a template that exists; inside the
     * template, {{name}} of a parameter is the template's while a property placeholder is checked as anywhere else.
     */
    @Test
    void routeTemplatesAreCheckedLikeRoutes() throws Exception {
        String file = "routes/templated.yaml";
        Files.writeString(folder.resolve(file), """
                - routeTemplate:
                    id: probe-list
                    parameters:
                      - name: list
                    route:
                      from:
                        uri: "direct:probe-{{list}}"
                        steps:
                          - log: "{{list}} every {{kitsu.no-such-key}}"
                - templatedRoute:
                    routeTemplateRef: probe-list
                    routeId: probe-assets
                    parameters:
                      - {name: list, value: assets}
                - templatedRoute:
                    routeTemplateRef: probe-list
                    parameters:
                      - {name: list, value: shots}
                - templatedRoute:
                    routeTemplateRef: probe-lists
                    routeId: probe-tasks
                    parameters:
                      - {name: list, value: tasks}
                """);
        Result result = validate();
        assertEquals(3, result.problemsIn(file).size(), result.output());
        result.assertProblem(file, lineOf(file, "{{kitsu.no-such-key}}"), "unresolved placeholder {{kitsu.no-such-key}}");
        result.assertProblem(file, 15, "templatedRoute without a routeId");
        result.assertProblem(file, lineOf(file, "probe-lists"),
                "routeTemplateRef 'probe-lists' matches no routeTemplate (did you mean probe-list?)");
    }

    @Test
    void routeConfigurationIdMayBeAPattern() throws Exception {
        edit(KITSU_ROUTES, "routeConfigurationId: kitsu-errors", "routeConfigurationId: \"kitsu-*, ftrack-*\"");
        Result result = validate();
        assertEquals(1, result.problemsIn(KITSU_ROUTES).size(), result.output());
        result.assertProblem(KITSU_ROUTES, lineOf(KITSU_ROUTES, "kitsu-*"), "routeConfigurationId 'ftrack-*' matches no routeConfiguration");
    }

    @Test
    void unknownBeanRefWithSuggestion() throws Exception {
        edit(STATUS_ROUTES, "ref: healthReport", "ref: healthRepot");
        Result result = validate();
        result.assertProblem(STATUS_ROUTES, lineOf(STATUS_ROUTES, "ref: healthRepot"),
                "unknown bean 'healthRepot' (did you mean healthReport?)");
    }

    @Test
    void knownBeansCanBeReplaced() throws Exception {
        Result result = validate(Set.of("syncRuns"));
        result.assertProblem(STATUS_ROUTES, lineOf(STATUS_ROUTES, "ref: healthReport"), "unknown bean 'healthReport'");
        result.assertProblem(ERROR_ROUTES, lineOf(ERROR_ROUTES, "onRedeliveryRef: kitsuRelogin"), "unknown bean 'kitsuRelogin'");
        result.assertProblem(KITSU_ROUTES, lineOf(KITSU_ROUTES, "\"#kitsuSession\""), "unknown bean 'kitsuSession'");
        result.assertProblem(KITSU_ROUTES, lineOf(KITSU_ROUTES, "uri: mongodb:avalonMongo"), "unknown bean 'avalonMongo'");
    }

    @Test
    void routeConfigurationIdWithoutTarget() throws Exception {
        edit(ERROR_ROUTES, "id: kitsu-errors", "id: kitsu-error");
        Result result = validate();
        List<String> problems = result.problemsIn(KITSU_ROUTES);
        assertEquals(2, problems.size(), result.output());
        result.assertProblem(KITSU_ROUTES, lineOf(KITSU_ROUTES, "routeConfigurationId: kitsu-errors"),
                "routeConfigurationId 'kitsu-errors' matches no routeConfiguration (did you mean kitsu-error?)");
    }

    @Test
    void unresolvablePlaceholderNamesTheKey() throws Exception {
        edit(ERROR_ROUTES, "maximumRedeliveries: \"{{kitsu.retries}}\"", "maximumRedeliveries: \"{{kitsu.retrys}}\"");
        Result result = validate();
        result.assertProblem(ERROR_ROUTES, lineOf(ERROR_ROUTES, "\"{{kitsu.retrys}}\""), "unresolved placeholder {{kitsu.retrys}}");
        assertEquals(1, result.problemsIn(ERROR_ROUTES).size(), result.output());
    }

    @Test
    void badCronIsReportedAtItsLineWithQuartzReason() throws Exception {
        setProperty("kitsu.full-sync.cron", "0 61 * * * ?");
        Result result = validate();
        assertEquals(1, result.exitCode());
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "kitsu.full-sync.cron ="),
                "kitsu.full-sync.cron: '0 61 * * * ?' is not a valid quartz cron: Minute and Second values must be between 0 and 59");
    }

    @Test
    void misspeltKeyGetsASuggestion() throws Exception {
        edit(PROPERTIES, "kitsu.password =", "kitsu.pasword =");
        Result result = validate();
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "kitsu.pasword"), "unknown key kitsu.pasword (did you mean kitsu.password?)");
    }

    @Test
    void continuedLinesKeepTheLineNumbers() throws Exception {
        appendProperty("kitsu.projects", "Alpha,\\\n    Beta");
        appendProperty("kitsu.pasword", "x");
        validate().assertProblem(PROPERTIES, lineCount(PROPERTIES), "unknown key kitsu.pasword");
    }

    @Test
    void rootKeysFollowTheirPattern() throws Exception {
        appendProperty("sitesync.roots.work", "/mnt/projects");
        appendProperty("gdrive.roots.work", "/My Drive/work");
        assertEquals(0, validate().exitCode());

        appendProperty("sitesync.root.work", "/mnt/projects");
        validate().assertProblem(PROPERTIES, lineOf(PROPERTIES, "sitesync.root.work"), "did you mean sitesync.roots.work?");
    }

    @Test
    void flavourTypo() throws Exception {
        setProperty("avalon.flavour", "openpyp");
        Result result = validate();
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "avalon.flavour ="),
                "avalon.flavour: 'openpyp' is not one of openpype, pype2, avalon-core (did you mean openpype?)");
    }

    @Test
    void stateDbInsideTheAvalonDatabase() throws Exception {
        setProperty("sync.state-db", "avalon");
        Result result = validate();
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "sync.state-db ="), "sync.state-db must differ from avalon.db");
    }

    /** The upload chunk resume policy (README "Site sync", Retries): a count, and a first wait not above the longest. */
    @Test
    void chunkRetryPolicy() throws Exception {
        setProperty("gdrive.chunk-retries", "-1");
        setProperty("gdrive.chunk-retry-delay", "5000");
        setProperty("gdrive.chunk-max-retry-delay", "1000");
        Result result = validate();
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "gdrive.chunk-retries ="), "gdrive.chunk-retries: '-1'");
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "gdrive.chunk-retry-delay ="),
                "gdrive.chunk-retry-delay: 5000 is above gdrive.chunk-max-retry-delay (1000)");
        assertEquals(2, result.problemsIn(PROPERTIES).size(), result.output());

        setProperty("gdrive.chunk-retries", "0");
        setProperty("gdrive.chunk-retry-delay", "1000");
        assertEquals(0, validate().exitCode(), "0 = no resume, and equal waits, are valid");
    }

    @Test
    void typedValues() throws Exception {
        setProperty("kitsu.retries", "three");
        setProperty("status.port", "70000");
        setProperty("kitsu.events.enabled", "yes");
        setProperty("sync.deletes", "delete");
        setProperty("sitesync.batch-size", "");
        setProperty("shotgrid.url", "studio.shotgrid.autodesk.com");
        setProperty("shotgrid.script-name", "avalon");
        setProperty("shotgrid.api-key", "k");
        Result result = validate();
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "kitsu.retries ="), "kitsu.retries: 'three' is not a whole number >= 0");
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "status.port ="), "status.port: '70000' is out of range: expected a whole number from 0 to 65535");
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "kitsu.events.enabled ="), "kitsu.events.enabled: 'yes' is not true or false");
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "sync.deletes ="), "sync.deletes: 'delete' is not one of ignore, archive");
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "sitesync.batch-size ="), "sitesync.batch-size: is empty");
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "shotgrid.url ="), "must start with http:// or https://");
        assertEquals(6, result.problemsIn(PROPERTIES).size(), result.output());
    }

    @Test
    void progressIntervalIsSecondsFromZeroUp() throws Exception {
        appendProperty("sync.progress-interval", "0.5");
        assertEquals(0, validate().problemsIn(PROPERTIES).size(), "fractions of a second are fine");
        setProperty("sync.progress-interval", "-1");
        validate().assertProblem(PROPERTIES, lineOf(PROPERTIES, "sync.progress-interval ="),
                "sync.progress-interval: '-1' is out of range: expected a number of seconds >= 0");
        setProperty("sync.progress-interval", "10s");
        validate().assertProblem(PROPERTIES, lineOf(PROPERTIES, "sync.progress-interval ="),
                "sync.progress-interval: '10s' is not a number of seconds >= 0");
    }

    @Test
    void kitsuUrlNeedsALogin() throws Exception {
        setProperty("kitsu.url", "https://kitsu.example.com");
        Result result = validate();
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "kitsu.user ="), "kitsu.url is set but kitsu.user is empty");
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "kitsu.password ="), "GAZU_PASSWD");

        env.put("GAZU_USER", "sync@example.com");
        env.put("GAZU_PASSWD", "secret");
        assertEquals(0, validate().exitCode());
    }

    /** A toD's per-message part after a site with a port ({{shotgrid.site}}${...}) once made every start refuse. */
    @Test
    void aTrackerOnAPortIsFine() throws Exception {
        system.setProperty("shotgrid.url", "http://shotgrid.studio:8443");
        system.setProperty("shotgrid.script-name", "avalon");
        system.setProperty("shotgrid.api-key", "k");
        Result result = validate();
        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void valueFromASystemPropertyIsNotBlamedOnTheFile() throws Exception {
        system.setProperty("avalon.flavour", "pype3");
        Result result = validate();
        // named by where the value comes from: not application.properties:0
        assertTrue(result.output().lines().anyMatch(l -> l.startsWith("-Davalon.flavour: avalon.flavour: 'pype3' is not one of")),
                result.output());
        assertFalse(result.output().contains(PROPERTIES + ":0: avalon.flavour"), result.output());
    }

    @Test
    void repeatedKey() throws Exception {
        appendProperty("avalon.db", "avalon");
        Result result = validate();
        result.assertProblem(PROPERTIES, lineCount(PROPERTIES), "avalon.db is set again (first at line " + lineOf(PROPERTIES, "avalon.db =") + ")");
    }

    @Test
    void secretsAreNeverPrinted() throws Exception {
        setProperty("kitsu.url", "https://sync:url-Pa55@kitsu.example.com");
        setProperty("kitsu.password", "kitsu-Pa55word");
        appendProperty("kitsu.password", "kitsu-Pa55word-again");
        appendProperty("kitsu.pasword", "typo-Pa55word");
        setProperty("shotgrid.url", "ftp://studio.example.com");
        setProperty("shotgrid.api-key", "shotgrid-Ap1-key");
        setProperty("gdrive.credentials", "/etc/secret-drive.json");
        appendProperty("gdrive.token", "drive-T0ken");
        setProperty("avalon.mongo-uri", "mongodb:/admin:mongo-Pa55@db");
        Result result = validate();
        assertEquals(1, result.exitCode());
        for (String secret : List.of("url-Pa55", "kitsu-Pa55word", "typo-Pa55word", "shotgrid-Ap1-key", "secret-drive",
                "drive-T0ken", "mongo-Pa55")) {
            assertFalse(result.output().contains(secret), secret + " printed:\n" + result.output());
        }
        result.assertProblem(PROPERTIES, lineCount(PROPERTIES), "unknown key gdrive.token");
    }

    @Test
    void missingFiles() throws Exception {
        Files.delete(folder.resolve(PROPERTIES));
        Result result = validate();
        result.assertProblem(PROPERTIES, 0, "file is missing");
        result.assertProblem(PROPERTIES, 0, "avalon.mongo-uri is not set");
        // the routes' own placeholders still resolve, from the application.properties the jar ships with
        assertEquals(List.of(), result.problemsIn(KITSU_ROUTES), result.output());

        try (Stream<Path> files = Files.list(folder.resolve("routes"))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        validate().assertProblem("routes", 0, "no route files");
    }

    /**
     * An application.properties written for an older version lacks keys the routes now use: each takes its default
     * from the application.properties shipped inside the jar (before, {{kitsu.retries}} was unresolved).
     */
    @Test
    void aKeyMissingFromAnOlderFileTakesTheShippedDefault() throws Exception {
        removeProperty("kitsu.retries");
        removeProperty("sync.journal.keep-days");
        Result result = validate();
        assertEquals(0, result.exitCode(), result.output());
    }

    /** A misspelt -D key was never looked at: the daemon started with the default in its place. */
    @Test
    void anUnknownKeyGivenWithDIsAProblem() throws Exception {
        system.setProperty("kitsu.retrys", "5");
        Result result = validate();
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().lines().anyMatch(line -> line.equals(
                "-Dkitsu.retrys: unknown key kitsu.retrys (did you mean kitsu.retries?)")), result.output());
    }

    /** Keys that became Camel Main's own are named with their new name, not silently ignored. */
    @Test
    void aRenamedKeyNamesItsNewName() throws Exception {
        appendProperty("sync.routes-reload", "false");
        appendProperty("sync.shutdown-timeout", "12");
        Result result = validate();
        result.assertProblem(PROPERTIES, lineCount(PROPERTIES) - 1,
                "unknown key sync.routes-reload: it is Camel's camel.main.routes-reload-enabled now");
        result.assertProblem(PROPERTIES, lineCount(PROPERTIES),
                "unknown key sync.shutdown-timeout: it is Camel's camel.main.shutdown-timeout now");
    }

    /** The Camel Main keys the service documents as its own are checked like the service's keys. */
    @Test
    void camelKeysOfTheServiceAreChecked() throws Exception {
        appendProperty("camel.main.shutdown-timeout", "30s");
        appendProperty("camel.main.routes-reload-enabled", "yes");
        Result result = validate();
        result.assertProblem(PROPERTIES, lineCount(PROPERTIES) - 1,
                "camel.main.shutdown-timeout: '30s' is not a whole number >= 1");
        result.assertProblem(PROPERTIES, lineCount(PROPERTIES), "camel.main.routes-reload-enabled: 'yes' is not true or false");
    }

    /**
     * A value may read the environment as Camel does ({{env:NAME}}); with the variable unset the service would have
     * used the placeholder text itself as the password.
     */
    @Test
    void aValueReadingAnUnsetVariableIsAProblem() throws Exception {
        setProperty("kitsu.password", "{{env:KITSU_PASSWORD}}");
        setProperty("sync.journal.keep-days", "{{sync.journal.keep-dayz}}");
        Result result = validate();
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "kitsu.password ="),
                "kitsu.password: {{env:KITSU_PASSWORD}} does not resolve: the environment variable KITSU_PASSWORD is not set");
        result.assertProblem(PROPERTIES, lineOf(PROPERTIES, "sync.journal.keep-days ="),
                "sync.journal.keep-days: {{sync.journal.keep-dayz}} does not resolve: no key sync.journal.keep-dayz is set");
        assertEquals(2, result.problemsIn(PROPERTIES).size(), result.output());
        env.put("KITSU_PASSWORD", "s3cret");
        setProperty("sync.journal.keep-days", "{{env:KEEP_DAYS:7}}");
        Result fixed = validate();
        assertEquals(0, fixed.exitCode(), fixed.output());
        assertFalse(fixed.output().contains("s3cret"), fixed.output());
    }

    /** A bad value from a key's own environment variable (Camel's override) is named by that variable. */
    @Test
    void aBadValueFromAKeysEnvironmentVariableNamesIt() throws Exception {
        env.put("STATUS_PORT", "80a");
        Result result = validate();
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().lines().anyMatch(line -> line.equals(
                "environment STATUS_PORT: status.port: '80a' is not a whole number from 0 to 65535")), result.output());
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private Result validate() throws IOException {
        return validate(ConfigValidator.knownBeans());
    }

    private Result validate(Set<String> knownBeans) throws IOException {
        Path file = folder.resolve(PROPERTIES);
        Properties fileProperties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                fileProperties.load(reader);
            }
        }
        Settings settings = new Settings(file, fileProperties, env, system);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exitCode = ConfigValidator.run(folder, settings, new PrintStream(bytes, true, StandardCharsets.UTF_8), knownBeans);
        return new Result(exitCode, bytes.toString(StandardCharsets.UTF_8));
    }

    /** Rewrites the value of a key in application.properties in place, so line numbers stay put. */
    private void setProperty(String key, String value) throws IOException {
        Path file = folder.resolve(PROPERTIES);
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(key) + " =.*$").matcher(Files.readString(file));
        assertTrue(line.find(), key + " not in the fixture");
        Files.writeString(file, line.replaceFirst(Matcher.quoteReplacement(key + " = " + value)));
    }

    /** Deletes a key's line (an application.properties of an older version that did not have it). */
    private void removeProperty(String key) throws IOException {
        Path file = folder.resolve(PROPERTIES);
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(key) + " =.*\\R").matcher(Files.readString(file));
        assertTrue(line.find(), key + " not in the fixture");
        Files.writeString(file, line.replaceFirst(""));
    }

    private void appendProperty(String key, String value) throws IOException {
        Files.writeString(folder.resolve(PROPERTIES), Files.readString(folder.resolve(PROPERTIES)) + key + " = " + value + "\n");
    }

    private void edit(String file, String from, String to) throws IOException {
        String text = Files.readString(folder.resolve(file));
        assertTrue(text.contains(from), from + " not in " + file);
        Files.writeString(folder.resolve(file), text.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to)));
    }

    /** The 1-based line of the first line containing the text, as the fixture is now. */
    private int lineOf(String file, String text) throws IOException {
        List<String> lines = Files.readAllLines(folder.resolve(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        return fail(text + " not in " + file);
    }

    private int lineCount(String file) throws IOException {
        return Files.readAllLines(folder.resolve(file)).size();
    }

    private record Result(int exitCode, String output) {

        List<String> problemsIn(String file) {
            return output.lines().filter(line -> line.startsWith(file + ":")).toList();
        }

        void assertProblem(String file, int line, String fragment) {
            String location = file + ":" + line + ": ";
            boolean found = output.lines().anyMatch(l -> l.startsWith(location) && l.contains(fragment));
            assertTrue(found, "expected '" + location + "..." + fragment + "' in:\n" + output);
            assertEquals(1, exitCode, output);
        }
    }
}
