package io.avalonsync.karaf;

import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What can be checked of the Karaf install without a Karaf running Camel (the Camel for Karaf bundles are not served
 * here): karaf/target/karaf/features.xml against the Karaf features XSD and the Camel for Karaf descriptor that is served
 * (apache-camel 4.14.5), and every Import-Package of karaf/target/avalon-sync-karaf-bundle.jar against what the features it
 * installs export. Camel for Karaf's own bundles are Camel's jars repackaged at the Camel for Karaf version: their
 * packages are read from the plain Camel jars of the build; third-party bundles from the very jars the descriptor
 * names (copied to karaf/target/karaf-check by the build).
 */
class KarafBundleTest {

    private static final String NS = "http://karaf.apache.org/xmlns/features/v1.6.0";
    private static final Path FEATURES = Path.of("karaf/target/karaf/features.xml");
    private static final Path BUNDLE = Path.of("karaf/target/avalon-sync-karaf-bundle.jar");
    private static final Path CHECK = Path.of("karaf/target/karaf-check");

    /** Packages Karaf 4.4 exports itself: OSGi core R7 (Felix 7.0.5) and pax-logging 2.2's SLF4J 2.0 API. */
    private static final Map<String, String> KARAF_PLATFORM = Map.of("org.osgi.framework", "1.10.0", "org.slf4j", "2.0.16");

    private static String checkedLine;
    private static String shippedLine;
    private static Document camelFeatures;
    private static Document ourFeatures;

    @BeforeAll
    static void read() throws Exception {
        checkedLine = System.getProperty("camel-karaf.checked.version", "4.14.5");
        shippedLine = System.getProperty("camel-karaf.version", "4.18.1");
        camelFeatures = parse(CHECK.resolve("apache-camel-" + checkedLine + "-features.xml"));
        ourFeatures = parse(FEATURES);
    }

    @Test
    void theFeaturesFileValidatesAgainstTheKarafXsdAndNamesFeaturesCamelForKarafHas() throws Exception {
        var xsd = KarafBundleTest.class.getClassLoader().getResource("org/apache/karaf/features/karaf-features-1.6.0.xsd");
        assertNotNull(xsd, "the XSD of org.apache.karaf.features.core");
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(xsd).newValidator()
                .validate(new StreamSource(FEATURES.toFile())); // throws with line and column when invalid

        Element feature = onlyFeature();
        assertEquals("mvn:org.apache.camel.karaf/apache-camel/" + shippedLine + "/xml/features",
                text(ourFeatures.getDocumentElement(), "repository").get(0));
        for (Element dependency : children(feature, "feature")) {
            if (!"true".equals(dependency.getAttribute("prerequisite"))) {
                assertNotNull(resolveFeature(dependency.getTextContent().trim(), dependency.getAttribute("version")),
                        dependency.getTextContent() + " " + dependency.getAttribute("version") + " in Camel for Karaf " + checkedLine);
            }
        }
        // every route file of the repository is installed, from an artifact the build attaches
        String pom = Files.readString(Path.of("karaf/pom.xml"));
        List<String> configFiles = new ArrayList<>();
        children(feature, "configfile").forEach(c -> configFiles.add(c.getAttribute("finalname") + " <- " + c.getTextContent().trim()));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                String classifier = name.replace(".camel.yaml", "");
                assertTrue(configFiles.contains("${karaf.etc}/avalon-sync/routes/" + name + " <- mvn:io.avalonsync/avalon-sync-karaf/"
                        + projectVersion() + "/yaml/" + classifier), name + " in " + configFiles);
                assertTrue(pom.contains("<file>${project.basedir}/../routes/" + name + "</file><type>yaml</type><classifier>" + classifier + "</classifier>"),
                        name + " attached in karaf/pom.xml");
            }
        }
        assertTrue(configFiles.contains("${karaf.etc}/avalon-sync/application.properties <- mvn:io.avalonsync/avalon-sync-karaf/"
                + projectVersion() + "/properties/application"), configFiles.toString());
        // the wrapped jars are the versions the jar is built and tested with
        for (String bundle : text(feature, "bundle")) {
            if (!bundle.contains("/jar/bundle")) {
                assertNotNull(classpathJar(gav(bundle)[1], gav(bundle)[2]), bundle + " is not the version on the build's classpath");
            }
        }
    }

    @Test
    void everyImportOfTheBundleIsExportedByTheInstalledFeaturesOrKaraf() throws Exception {
        Map<String, List<String>> exports = new HashMap<>(); // package -> versions
        List<String> unread = new ArrayList<>();
        KARAF_PLATFORM.forEach((pkg, version) -> exports.computeIfAbsent(pkg, k -> new ArrayList<>()).add(version));
        for (Module module : ModuleLayer.boot().modules()) {
            module.getDescriptor().exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                    .forEach(pkg -> exports.computeIfAbsent(pkg, k -> new ArrayList<>()).add("0.0.0"));
        }
        Set<String> bundles = new LinkedHashSet<>();
        Element feature = onlyFeature();
        bundles.addAll(text(feature, "bundle"));
        for (Element dependency : children(feature, "feature")) {
            if (!"true".equals(dependency.getAttribute("prerequisite"))) {
                collectBundles(resolveFeature(dependency.getTextContent().trim(), dependency.getAttribute("version")), bundles, new TreeSet<>());
            }
        }
        for (String bundle : bundles) {
            if (!bundle.contains("/jar/bundle") && !exportsOf(bundle, exports)) {
                unread.add(bundle);
            }
        }

        Manifest manifest;
        try (JarFile jar = new JarFile(BUNDLE.toFile())) {
            manifest = jar.getManifest();
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("io/avalonsync/sandbox/")), "no sandbox in the bundle");
            assertNotNull(jar.getEntry("io/avalonsync/karaf/Activator.class"));
        }
        assertEquals("io.avalonsync.karaf.Activator", manifest.getMainAttributes().getValue("Bundle-Activator"));
        List<String> unresolved = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> entry : clauses(manifest.getMainAttributes().getValue("Import-Package")).entrySet()) {
            String pkg = entry.getKey();
            String range = entry.getValue().getOrDefault("version", "0.0.0");
            if ("optional".equals(entry.getValue().get("resolution"))) {
                continue;
            }
            if (pkg.startsWith("org.apache.camel")) {
                assertTrue(inRange(shippedLine, range), pkg + " " + range + " must accept Camel for Karaf " + shippedLine);
            }
            List<String> versions = exports.getOrDefault(pkg, List.of());
            if (versions.stream().noneMatch(v -> inRange(v, range))) {
                unresolved.add(pkg + ";version=\"" + range + "\" (exported: " + versions + ")");
            }
        }
        assertTrue(unresolved.isEmpty(), "imports nothing exports in Camel for Karaf " + checkedLine + ": " + unresolved
                + (unread.isEmpty() ? "" : "; bundles whose jar was not at hand: " + unread));
    }

    /** Adds the packages of one bundle URL; false when its jar is not at hand. */
    private static boolean exportsOf(String url, Map<String, List<String>> exports) throws IOException {
        String[] gav = gav(url);
        String artifact = gav[1];
        String version = gav[2];
        File jar = CHECK.resolve(artifact + "-" + version + ".jar").toFile();
        boolean camelForKaraf = gav[0].equals("org.apache.camel.karaf");
        if (!jar.isFile()) {
            jar = classpathJar(artifact, version);
        }
        if (jar == null && camelForKaraf) {
            jar = classpathJar(artifact, System.getProperty("camel.version"));
        }
        if (jar == null) {
            return false;
        }
        try (JarFile file = new JarFile(jar)) {
            String exported = file.getManifest() == null ? null : file.getManifest().getMainAttributes().getValue("Export-Package");
            boolean merged = url.startsWith("wrap:") && url.contains("overwrite=merge");
            if (exported != null && !camelForKaraf && (!url.startsWith("wrap:") || merged)) {
                clauses(exported).forEach((pkg, attributes) -> exports.computeIfAbsent(pkg, k -> new ArrayList<>())
                        .add(attributes.getOrDefault("version", "0.0.0")));
            } else {
                // Camel for Karaf exports every package at its own version; wrap: exports every package, unversioned
                String at = camelForKaraf ? version : "0.0.0";
                file.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && n.contains("/"))
                        .map(n -> n.substring(0, n.lastIndexOf('/')).replace('/', '.')).distinct()
                        .forEach(pkg -> exports.computeIfAbsent(pkg, k -> new ArrayList<>()).add(at));
            }
        }
        return true;
    }

    private static void collectBundles(Element feature, Set<String> bundles, Set<String> seen) {
        if (feature == null || !seen.add(feature.getAttribute("name") + "/" + feature.getAttribute("version"))) {
            return;
        }
        bundles.addAll(text(feature, "bundle"));
        for (Element dependency : children(feature, "feature")) {
            collectBundles(resolveFeature(dependency.getTextContent().trim(), dependency.getAttribute("version")), bundles, seen);
        }
        for (Element conditional : children(feature, "conditional")) {
            children(conditional, "feature").forEach(c -> collectBundles(resolveFeature(c.getTextContent().trim(), c.getAttribute("version")), bundles, seen));
        }
    }

    /** The highest version of a feature of the Camel for Karaf descriptor within the range (Karaf's rule), or null. */
    private static Element resolveFeature(String name, String range) {
        Element best = null;
        NodeList features = camelFeatures.getDocumentElement().getElementsByTagNameNS(NS, "feature");
        for (int i = 0; i < features.getLength(); i++) {
            Element candidate = (Element) features.item(i);
            if (candidate.getParentNode() == camelFeatures.getDocumentElement() && candidate.getAttribute("name").equals(name)
                    && (range.isBlank() || inRange(candidate.getAttribute("version"), range))
                    && (best == null || compare(candidate.getAttribute("version"), best.getAttribute("version")) > 0)) {
                best = candidate;
            }
        }
        return best;
    }

    private Element onlyFeature() {
        List<Element> features = children(ourFeatures.getDocumentElement(), "feature");
        assertEquals(1, features.size());
        assertEquals("avalon-sync", features.get(0).getAttribute("name"));
        return features.get(0);
    }

    /** mvn:g/a/v[/type/classifier] or wrap:mvn:g/a/v$instructions → {g, a, v}. */
    private static String[] gav(String url) {
        String mvn = url.replaceFirst("^wrap:", "").replaceFirst("\\$.*", "").replaceFirst("^mvn:", "");
        String[] parts = mvn.split("/");
        return new String[] {parts[0], parts[1], parts[2]};
    }

    private static File classpathJar(String artifact, String version) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (new File(entry).getName().equals(artifact + "-" + version + ".jar")) {
                return new File(entry);
            }
        }
        return null;
    }

    /** An OSGi header as package → attributes (version, resolution), quoted commas kept. */
    static Map<String, Map<String, String>> clauses(String header) {
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        Matcher clause = Pattern.compile("((?:[^,\"]|\"[^\"]*\")+)").matcher(header == null ? "" : header);
        while (clause.find()) {
            String[] parts = clause.group(1).split(";(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            Map<String, String> attributes = new HashMap<>();
            List<String> packages = new ArrayList<>();
            for (String part : parts) {
                Matcher attribute = Pattern.compile("\\s*([\\w.-]+):?=\"?([^\"]*)\"?\\s*").matcher(part);
                if (attribute.matches()) {
                    attributes.put(attribute.group(1), attribute.group(2));
                } else {
                    packages.add(part.trim());
                }
            }
            packages.forEach(pkg -> result.put(pkg, attributes));
        }
        return result;
    }

    /** OSGi version ranges: [a,b), (a,b], or a bare version meaning at least a. */
    static boolean inRange(String version, String range) {
        String r = range.trim();
        if (!r.startsWith("[") && !r.startsWith("(")) {
            return compare(version, r) >= 0;
        }
        String[] ends = r.substring(1, r.length() - 1).split(",");
        int low = compare(version, ends[0]);
        int high = compare(version, ends[1]);
        return (r.startsWith("[") ? low >= 0 : low > 0) && (r.endsWith(")") ? high < 0 : high <= 0);
    }

    /** Compares the numeric major.minor.micro parts (qualifiers such as .SNAPSHOT or -jre ignored). */
    static int compare(String a, String b) {
        long[] x = numbers(a);
        long[] y = numbers(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Long.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    private static long[] numbers(String version) {
        long[] result = new long[3];
        String[] parts = version.trim().split("[.-]");
        for (int i = 0; i < 3 && i < parts.length && parts[i].matches("\\d+"); i++) {
            result[i] = Long.parseLong(parts[i]);
        }
        return result;
    }

    private static String projectVersion() {
        return ourFeatures.getDocumentElement().getAttribute("name").substring("avalon-sync-".length());
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(element.getLocalName())) {
                result.add(element);
            }
        }
        return result;
    }

    private static List<String> text(Element parent, String name) {
        return children(parent, name).stream().map(e -> e.getTextContent().trim()).toList();
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }
}
