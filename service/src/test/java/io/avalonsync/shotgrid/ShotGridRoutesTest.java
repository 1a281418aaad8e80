package io.avalonsync.shotgrid;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.avalonsync.ShotGridHarness;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a reader of routes/shotgrid-*.camel.yaml relies on: a bean named there is found under its class name, its
 * steps take typed values (never the whole exchange), and every exchange property the routes read is one the
 * routes themselves set, so the data flow is visible in the YAML.
 */
class ShotGridRoutesTest {

    private static final List<Path> ROUTES = List.of(Path.of("routes/shotgrid-full-sync.camel.yaml"),
            Path.of("routes/shotgrid-events.camel.yaml"));
    private static final Pattern BEAN_REF = Pattern.compile("(?m)^\\s*ref: (\\S+)$|\"#(\\w+)\"");
    private static final Pattern PROPERTY_READ = Pattern.compile("exchangeProperty\\.(\\w+)");
    private static final Pattern PROPERTY_SET = Pattern.compile("(?m)- setProperty:\\s*\\n\\s*name: (\\w+)");

    private static String routes() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path file : ROUTES) {
            text.append(Files.readString(file)).append('\n');
        }
        return text.toString();
    }

    @Test
    void shotGridBeansAreNamedAfterTheirClassesAndTakeTypedValues() throws Exception {
        try (ShotGridHarness h = ShotGridHarness.demo(Map.of())) {
            CamelContext context = h.app().context();
            Set<String> refs = new TreeSet<>();
            Matcher ref = BEAN_REF.matcher(routes());
            while (ref.find()) {
                refs.add(ref.group(1) != null ? ref.group(1) : ref.group(2));
            }
            List<String> problems = new ArrayList<>();
            for (String name : refs) {
                Object bean = context.getRegistry().lookupByName(name);
                assertNotNull(bean, "bean " + name + " of the ShotGrid routes");
                Class<?> type = bean.getClass();
                if (!type.getPackageName().equals(ShotGridIdentity.class.getPackageName())) {
                    continue; // a shared class's ShotGrid instance (the journal, the Avalon writer, the run records)
                }
                if (!type.getSimpleName().equals(name)) {
                    problems.add(name + " is a " + type.getSimpleName());
                }
                for (Method method : type.getMethods()) {
                    if (method.getDeclaringClass() == type && List.of(method.getParameterTypes()).contains(Exchange.class)) {
                        problems.add(type.getSimpleName() + "." + method.getName() + " takes the raw Exchange");
                    }
                }
            }
            assertTrue(refs.contains("ShotGridProjects") && refs.contains("ShotGridEvents"), refs.toString());
            assertEquals(List.of(), problems);
        }
    }

    @Test
    void theRoutesReadOnlyPropertiesTheySetThemselves() throws Exception {
        String text = routes();
        Set<String> set = new TreeSet<>();
        Matcher setter = PROPERTY_SET.matcher(text);
        while (setter.find()) {
            set.add(setter.group(1));
        }
        Set<String> unexplained = new TreeSet<>();
        Matcher read = PROPERTY_READ.matcher(text);
        while (read.find()) {
            if (!set.contains(read.group(1))) {
                unexplained.add(read.group(1));
            }
        }
        assertEquals(Set.of(), unexplained, "properties read in the ShotGrid routes but set in Java");
    }
}
