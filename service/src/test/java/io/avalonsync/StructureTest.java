package io.avalonsync;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The layout README's "Layout" section describes, held against the code: the shared floor (sync, avalon, journal)
 * imports no tracker and no status code, packages do not import each other in a circle, and the beans of the routes
 * in the floor and the Kitsu packages are named after their classes and take typed values, not the raw exchange.
 */
class StructureTest {

    private static final Path SOURCES = Path.of("service/src/main/java/io/avalonsync");
    private static final Pattern IMPORT = Pattern.compile("io\\.avalonsync\\.([a-z]+)\\.[A-Z]");
    /** The packages this test holds to typed beans; the others follow as they are reworked. */
    private static final Set<String> TYPED = Set.of("sync", "avalon", "journal", "kitsu");
    private static final Set<String> TRACKERS = Set.of("kitsu", "shotgrid");

    @Test
    void theFloorImportsNoTrackerAndNoStatusCode() throws IOException {
        Map<String, Set<String>> imports = packageImports();
        Map<String, Set<String>> wrong = new TreeMap<>();
        for (String floor : List.of("sync", "avalon", "journal")) {
            for (String used : imports.getOrDefault(floor, Set.of())) {
                if (TRACKERS.contains(used) || used.equals("status") || used.equals("sitesync") || used.equals("cluster")) {
                    wrong.computeIfAbsent(floor, k -> new TreeSet<>()).add(used);
                }
            }
        }
        // avalon is the ground: documents and their writer need nothing of the service above them
        imports.getOrDefault("avalon", Set.of()).forEach(used -> wrong.computeIfAbsent("avalon", k -> new TreeSet<>()).add(used));
        assertEquals(Map.of(), wrong, "imports the floor must not have: " + imports);
    }

    @Test
    void theFloorAndTheKitsuPackageAreInNoImportCircle() throws IOException {
        Map<String, Set<String>> imports = packageImports();
        List<List<String>> circles = new ArrayList<>();
        for (String start : TYPED) {
            List<String> circle = circleThrough(start, imports);
            if (circle != null) {
                circles.add(circle);
            }
        }
        assertEquals(List.of(), circles, "package imports: " + imports);
    }

    @Test
    void routeBeansAreNamedAfterTheirClassesAndTakeTypedValues() throws Exception {
        try (SyncHarness h = SyncHarness.demo()) {
            AvalonSyncApp app = h.app();
            Map<String, String> misnamed = new TreeMap<>();
            Map<String, String> untyped = new TreeMap<>();
            for (String name : routeBeanNames()) {
                Object bean = app.context().getRegistry().lookupByName(name);
                if (bean == null || bean instanceof Processor) {
                    continue; // onRedelivery processors: Camel calls them with the exchange
                }
                Class<?> type = bean.getClass();
                String pkg = type.getPackageName().replace("io.avalonsync.", "");
                if (!TYPED.contains(pkg)) {
                    continue;
                }
                String simple = type.getSimpleName();
                String plain = Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
                boolean named = name.equals(plain) || TRACKERS.stream().anyMatch(t -> name.equals(t + simple));
                if (!named) {
                    misnamed.put(name, type.getName());
                }
                for (Method method : type.getDeclaredMethods()) {
                    if (Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())
                            && List.of(method.getParameterTypes()).contains(Exchange.class)
                            && !(bean instanceof org.apache.camel.component.http.HttpClientConfigurer
                            && method.getName().equals("relogin"))) {
                        untyped.put(name + "." + method.getName(), type.getSimpleName());
                    }
                }
            }
            assertEquals(Map.of(), misnamed, "beans not named after their class (or tracker + class)");
            assertEquals(Map.of(), untyped, "route steps that take the raw exchange");
        }
    }

    /** Every bean name the repository's route files use. */
    private static Set<String> routeBeanNames() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        Pattern ref = Pattern.compile("(?:ref: |Ref: |\"#|[Uu]ri: \"?bean:|uri: mongodb:)([A-Za-z]+)");
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Matcher matcher = ref.matcher(Files.readString(file));
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        }
        return names;
    }

    /** Package → the packages of the service it imports (by import or full name). */
    private static Map<String, Set<String>> packageImports() throws IOException {
        Map<String, Set<String>> imports = new HashMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // the service's own top level wires everything
                }
                String pkg = relative.getName(0).toString();
                Matcher matcher = IMPORT.matcher(Files.readString(file));
                while (matcher.find()) {
                    if (!matcher.group(1).equals(pkg)) {
                        imports.computeIfAbsent(pkg, k -> new TreeSet<>()).add(matcher.group(1));
                    }
                }
            }
        }
        return imports;
    }

    /** A circle of imports that leads from {@code start} back to it, or null. */
    private static List<String> circleThrough(String start, Map<String, Set<String>> imports) {
        return search(start, start, imports, new ArrayList<>(List.of(start)), new LinkedHashSet<>());
    }

    private static List<String> search(String start, String at, Map<String, Set<String>> imports, List<String> path,
            Set<String> seen) {
        for (String next : imports.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> circle = new ArrayList<>(path);
                circle.add(start);
                return circle;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> found = search(start, next, imports, path, seen);
                if (found != null) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return null;
    }
}
