package io.avalonsync.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * What {@link ConfigValidator} needs to know about one route file, read from the YAML node tree (which
 * keeps line numbers, unlike Camel's model of a file that failed to load): route and route configuration
 * ids, the routeConfigurationId and bean references, and the values holding {@code {{...}}} placeholders.
 * A route made from a route template ({@code templatedRoute}) counts as a route with its {@code routeId}; inside a
 * template, {@code {{name}}} of one of its parameters is the template's, not a property placeholder.
 * Lines are 1-based as an editor shows them.
 */
final class RouteYaml {

    /** A value found in the file and the line it is on. */
    record Located(String value, int line) {
    }

    final List<Located> routeIds = new ArrayList<>();
    /** Routes without an id; the value is the key the route was declared with (route or from). */
    final List<Located> routesWithoutId = new ArrayList<>();
    final List<Located> routeConfigurationIds = new ArrayList<>();
    final List<Located> routeConfigurationRefs = new ArrayList<>();
    final List<Located> beanRefs = new ArrayList<>();
    /** Route templates the file declares, and the templates its templated routes name. */
    final List<Located> templateIds = new ArrayList<>();
    final List<Located> templateRefs = new ArrayList<>();
    /** Beans the file declares itself in a {@code beans:} block. */
    final List<Located> declaredBeans = new ArrayList<>();
    final List<Located> placeholders = new ArrayList<>();
    /** The option names under every {@code parameters:} of an endpoint, at their lines. */
    final List<Located> parameterKeys = new ArrayList<>();
    /** Each route's text without comments and layout, by route id: tells an edited route from an untouched one. */
    final Map<String, String> routeTexts = new HashMap<>();
    /** The same for each routeConfiguration with an id. */
    final Map<String, String> configurationTexts = new HashMap<>();
    /** Each route template's text, by template id: a route made from it changes when the template does. */
    private final Map<String, String> templateTexts = new HashMap<>();
    /** Each templated route's own text and the template it names, by route id. */
    private final Map<String, String[]> templatedRoutes = new HashMap<>();
    /** "line:column" of every mapping value to the line of its key, see {@link #keyLine(Mark)}. */
    private final Map<String, Integer> keyLineByValueStart = new HashMap<>();

    private RouteYaml() {
    }

    /**
     * Parses YAML text (all documents).
     *
     * @throws org.snakeyaml.engine.v2.exceptions.YamlEngineException on a syntax error, with its mark
     */
    static RouteYaml parse(String text, String label) {
        RouteYaml yaml = new RouteYaml();
        Compose compose = new Compose(LoadSettings.builder().setLabel(label).build());
        for (Node document : compose.composeAllFromString(text)) {
            yaml.readTopLevel(document);
            yaml.walk(document, null, Set.of());
        }
        // a templated route's text includes its template's, so an edited template replaces the routes made from it
        yaml.templatedRoutes.forEach((id, route) ->
                yaml.routeTexts.put(id, route[0] + yaml.templateTexts.getOrDefault(route[1], "")));
        return yaml;
    }

    /**
     * Camel marks an unsupported field at its value (the first step under {@code stpes:}); the operator
     * looks for the key, so a mark at the start of a mapping value is moved to the line of its key.
     */
    int keyLine(Mark mark) {
        return keyLineByValueStart.getOrDefault(mark.getLine() + ":" + mark.getColumn(), mark.getLine() + 1);
    }

    private void readTopLevel(Node document) {
        if (!(document instanceof SequenceNode sequence)) {
            return; // a Kubernetes style resource (Integration, Pipe): left to Camel's loader
        }
        for (Node item : sequence.getValue()) {
            if (!(item instanceof MappingNode mapping)) {
                continue;
            }
            for (NodeTuple tuple : mapping.getValue()) {
                String kind = scalar(tuple.getKeyNode());
                Node body = tuple.getValueNode();
                int line = line(tuple.getKeyNode());
                if ("route".equals(kind)) {
                    readRoute(body, line);
                    child(body, "id").map(RouteYaml::scalar).ifPresent(id -> routeTexts.put(id, canonical(body)));
                } else if ("from".equals(kind)) {
                    routesWithoutId.add(new Located(kind, line));
                } else if ("routeConfiguration".equals(kind)) {
                    child(body, "id").map(RouteYaml::located).filter(id -> id.value() != null)
                            .ifPresent(routeConfigurationIds::add);
                    child(body, "id").map(RouteYaml::scalar).ifPresent(id -> configurationTexts.put(id, canonical(body)));
                } else if ("routeTemplate".equals(kind)) {
                    child(body, "id").map(RouteYaml::located).filter(id -> id.value() != null).ifPresent(templateIds::add);
                    child(body, "id").map(RouteYaml::scalar).ifPresent(id -> templateTexts.put(id, canonical(body)));
                    child(body, "route").ifPresent(route -> child(route, "routeConfigurationId")
                            .map(RouteYaml::located).filter(refs -> refs.value() != null).ifPresent(this::addConfigurationRefs));
                } else if ("templatedRoute".equals(kind)) {
                    child(body, "routeTemplateRef").map(RouteYaml::located).filter(ref -> ref.value() != null)
                            .ifPresent(templateRefs::add);
                    Optional<String> id = child(body, "routeId").map(RouteYaml::scalar);
                    if (id.isPresent()) {
                        routeIds.add(located(child(body, "routeId").get()));
                        templatedRoutes.put(id.get(), new String[] {canonical(body),
                                child(body, "routeTemplateRef").map(RouteYaml::scalar).orElse("")});
                    } else {
                        routesWithoutId.add(new Located("templatedRoute", line));
                    }
                } else if ("beans".equals(kind) && body instanceof SequenceNode beans) {
                    beans.getValue().forEach(bean -> child(bean, "name").map(RouteYaml::located)
                            .filter(name -> name.value() != null).ifPresent(declaredBeans::add));
                }
            }
        }
    }

    private void readRoute(Node route, int line) {
        Optional<Node> id = child(route, "id");
        if (id.isPresent() && scalar(id.get()) != null) {
            routeIds.add(located(id.get()));
        } else {
            routesWithoutId.add(new Located("route", line));
        }
        child(route, "routeConfigurationId").map(RouteYaml::located).filter(refs -> refs.value() != null)
                .ifPresent(this::addConfigurationRefs);
    }

    /** Camel accepts a comma separated list of ids and wildcards. */
    private void addConfigurationRefs(Located refs) {
        for (String ref : refs.value().split(",")) {
            if (!ref.isBlank()) {
                routeConfigurationRefs.add(new Located(ref.trim(), refs.line()));
            }
        }
    }

    /** @param templateParameters the parameters of the route template being walked (none outside one) */
    private void walk(Node node, String key, Set<String> templateParameters) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String childKey = scalar(tuple.getKeyNode());
                Node value = tuple.getValueNode();
                value.getStartMark().ifPresent(mark ->
                        keyLineByValueStart.put(mark.getLine() + ":" + mark.getColumn(), line(tuple.getKeyNode())));
                readBeanReference(key, childKey, value);
                if ("parameters".equals(key) && childKey != null) {
                    parameterKeys.add(new Located(childKey, line(tuple.getKeyNode())));
                }
                walk(value, childKey, "routeTemplate".equals(childKey) ? templateParameters(value) : templateParameters);
            }
        } else if (node instanceof SequenceNode sequence) {
            // a template's parameter list or a templated route's values are not endpoint options
            boolean templateParameterList = "parameters".equals(key) && sequence.getValue().stream()
                    .allMatch(item -> child(item, "name").isPresent());
            sequence.getValue().forEach(item -> walk(item, templateParameterList ? "templateParameters" : key,
                    templateParameters));
        } else if (node instanceof ScalarNode scalar && scalar.getValue().contains("{{")) {
            String value = scalar.getValue();
            for (String parameter : templateParameters) {
                value = value.replace("{{" + parameter + "}}", "");
            }
            if (value.contains("{{")) {
                placeholders.add(new Located(value, line(scalar)));
            }
        }
    }

    /** The parameter names a route template declares. */
    private static Set<String> templateParameters(Node template) {
        Set<String> names = new HashSet<>();
        child(template, "parameters").filter(SequenceNode.class::isInstance).map(SequenceNode.class::cast)
                .ifPresent(parameters -> parameters.getValue().forEach(parameter ->
                        child(parameter, "name").map(RouteYaml::scalar).ifPresent(names::add)));
        return names;
    }

    /** The places a route names a registry bean: bean steps, *Ref options, #name endpoint parameters. */
    private void readBeanReference(String parentKey, String key, Node value) {
        if ("bean".equals(key)) {
            child(value, "ref").ifPresent(ref -> addBeanRef(scalar(ref), line(ref)));
        } else if (key != null && key.endsWith("Ref") && !"routeTemplateRef".equals(key) && value instanceof ScalarNode) {
            for (String reference : scalar(value).split(",")) { // routePolicyRef takes a list
                addBeanRef(reference, line(value));
            }
        } else if ("parameters".equals(parentKey) && value instanceof ScalarNode && scalar(value).startsWith("#")) {
            addBeanRef(scalar(value), line(value));
        } else if ("uri".equals(key) && value instanceof ScalarNode && scalar(value).startsWith("mongodb:")) {
            // the path of a mongodb endpoint is the name of its client bean
            addBeanRef(scalar(value).substring("mongodb:".length()).split("\\?")[0], line(value));
        } else if (("uri".equals(key) || "deadLetterUri".equals(key)) && value instanceof ScalarNode
                && scalar(value).startsWith("bean:")) {
            // bean:name?method=... (an error handler's dead letter)
            addBeanRef(scalar(value).substring("bean:".length()).split("\\?")[0], line(value));
        }
    }

    private void addBeanRef(String reference, int line) {
        String name = beanName(reference);
        if (name != null) {
            beanRefs.add(new Located(name, line));
        }
    }

    /** {@code #name}, {@code #bean:name} or a plain name; null for class/type lookups and dynamic values. */
    static String beanName(String reference) {
        if (reference == null || reference.isBlank() || reference.contains("{{") || reference.contains("${")) {
            return null;
        }
        String name = reference.trim();
        if (name.startsWith("#bean:")) {
            name = name.substring("#bean:".length());
        } else if (name.startsWith("#")) {
            name = name.substring(1);
            if (name.contains(":")) {
                return null; // #class:, #type:, #valueAs(...): no registry name
            }
        }
        return name.isEmpty() ? null : name;
    }

    /** The node's content only: keys, values and their nesting, no comments, lines or quoting style. */
    private static String canonical(Node node) {
        StringBuilder text = new StringBuilder();
        canonical(node, text);
        return text.toString();
    }

    private static void canonical(Node node, StringBuilder text) {
        if (node instanceof MappingNode mapping) {
            text.append('{');
            for (NodeTuple tuple : mapping.getValue()) {
                canonical(tuple.getKeyNode(), text);
                text.append(':');
                canonical(tuple.getValueNode(), text);
                text.append(',');
            }
            text.append('}');
        } else if (node instanceof SequenceNode sequence) {
            text.append('[');
            sequence.getValue().forEach(item -> {
                canonical(item, text);
                text.append(',');
            });
            text.append(']');
        } else if (node instanceof ScalarNode scalar) {
            text.append('"').append(scalar.getValue().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
    }

    private static Optional<Node> child(Node node, String key) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (key.equals(scalar(tuple.getKeyNode()))) {
                    return Optional.of(tuple.getValueNode());
                }
            }
        }
        return Optional.empty();
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    private static Located located(Node node) {
        return new Located(scalar(node), line(node));
    }

    private static int line(Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }
}
