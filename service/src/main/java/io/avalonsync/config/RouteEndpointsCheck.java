package io.avalonsync.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.avalonsync.config.ConfigValidator.Problem;
import org.apache.camel.CamelContext;
import org.apache.camel.CatalogCamelContext;
import org.apache.camel.Component;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.EnrichDefinition;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.PollEnrichDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.URISupport;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

import static io.avalonsync.config.ConfigValidator.suggestion;

/**
 * Resolves every endpoint of the loaded routes as Camel will when it builds them: the component exists, each option
 * is one the endpoint knows with a value it takes (the component's own endpoint configurer decides, on a context that
 * is never started), and the endpoint can be used the way the route uses it. Camel's YAML loader accepts
 * {@code to: nosuchcomponent:x}; only building the route fails, which in a running daemon is too late.
 */
final class RouteEndpointsCheck {

    private static final Pattern UNKNOWN_PARAMETERS = Pattern.compile("Unknown parameters=\\[\\{(.*)}]");
    private static final Pattern DYNAMIC = Pattern.compile("\\$\\{[^}]*}");
    private static final String MASTER = "master:";

    /** One endpoint written in a route: its text as loaded, its line, whether the route consumes from it. */
    private record Use(String uri, int line, boolean consumer, boolean dynamic) {

        /** The endpoint with a template's {{parameters}} put in, as Camel does when it makes the route. */
        Use with(Map<String, Object> parameters) {
            String made = uri;
            if (made != null) {
                for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
                    made = made.replace("{{" + parameter.getKey() + "}}", String.valueOf(parameter.getValue()));
                }
            }
            return new Use(made, line, consumer, dynamic);
        }
    }

    private final CamelContext camel;
    private final List<Problem> problems;
    private final Map<String, JsonObject> schemas = new LinkedHashMap<>();
    private Set<String> componentNames;

    RouteEndpointsCheck(CamelContext camel, List<Problem> problems) {
        this.camel = camel;
        this.problems = problems;
    }

    /** Checks the endpoints of routes and route configurations loaded from one file. */
    void check(String file, RouteYaml yaml, List<RouteDefinition> routes, List<RouteConfigurationDefinition> configurations) {
        List<Use> uses = new ArrayList<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        for (RouteDefinition route : routes) {
            List<Use> ofRoute = new ArrayList<>();
            if (route.getInput() != null) {
                ofRoute.add(new Use(route.getInput().getEndpointUri(), route.getInput().getLineNumber(), true, false));
            }
            collect(route.getOutputs(), ofRoute, seen);
            // a route made from a template: its {{parameters}} are the templatedRoute's values, not settings (read
            // as settings, {{path}} would be the PATH variable)
            Map<String, Object> parameters = route.getTemplateParameters();
            ofRoute.forEach(use -> uses.add(parameters == null || parameters.isEmpty() ? use : use.with(parameters)));
        }
        for (RouteConfigurationDefinition configuration : configurations) {
            configuration.getOnExceptions().forEach(onException -> collect(onException.getOutputs(), uses, seen));
        }
        List<Integer> lines = uses.stream().map(Use::line).sorted().distinct().toList();
        for (Use use : uses) {
            if (use.uri() != null && !use.uri().isBlank()) {
                int next = lines.stream().filter(line -> line > use.line()).findFirst().orElse(Integer.MAX_VALUE);
                check(file, yaml, use, next);
            }
        }
    }

    private void collect(List<ProcessorDefinition<?>> outputs, List<Use> uses, Map<Object, Boolean> seen) {
        if (outputs == null) {
            return;
        }
        for (ProcessorDefinition<?> output : outputs) {
            if (seen.put(output, Boolean.TRUE) != null) {
                continue;
            }
            int line = output.getLineNumber();
            if (output instanceof ToDynamicDefinition dynamic) { // toD, wireTap
                uses.add(new Use(dynamic.getUri(), line, false, true));
            } else if (output instanceof EndpointRequiredDefinition endpoint) {
                uses.add(new Use(endpoint.getEndpointUri(), line, false, false));
            } else if (output instanceof EnrichDefinition || output instanceof PollEnrichDefinition) {
                ExpressionDefinition expression = ((ExpressionNode) output).getExpression();
                if (expression != null && "constant".equals(expression.getLanguage())) {
                    uses.add(new Use(expression.getExpression(), line, output instanceof PollEnrichDefinition, false));
                }
            }
            if (output instanceof ChoiceDefinition choice) {
                choice.getWhenClauses().forEach(when -> collect(when.getOutputs(), uses, seen));
                if (choice.getOtherwise() != null) {
                    collect(choice.getOtherwise().getOutputs(), uses, seen);
                }
            }
            collect(output.getOutputs(), uses, seen);
        }
    }

    private void check(String file, RouteYaml yaml, Use use, int nextEndpointLine) {
        String uri;
        try {
            uri = camel.resolvePropertyPlaceholders(use.uri());
        } catch (RuntimeException e) {
            return; // an unresolved placeholder is reported on its own line already
        }
        String written = use.uri();
        // master:<group>:<endpoint> runs the endpoint on the group's leader: the endpoint is what has to exist
        while (uri.startsWith(MASTER)) {
            int colon = uri.indexOf(':', MASTER.length());
            if (colon < 0 || colon == MASTER.length()) {
                problem(file, use.line(), "endpoint " + base(written) + ": master: needs a group and an endpoint (master:<group>:<uri>)");
                return;
            }
            uri = uri.substring(colon + 1);
            written = written.startsWith(MASTER) ? written.substring(written.indexOf(':', MASTER.length()) + 1) : written;
        }
        int colon = uri.indexOf(':');
        if (colon <= 0 && written.startsWith("{{")) {
            return; // the setting the endpoint is made of is wrong: its own check names the key
        }
        if (colon <= 0) {
            problem(file, use.line(), "endpoint " + base(written) + ": not an endpoint URI (<component>:<path>)");
            return;
        }
        String scheme = uri.substring(0, colon);
        Component component = component(scheme);
        if (component == null) {
            String similar = suggestion(scheme, componentNames());
            problem(file, use.line(), "endpoint " + base(written) + ": unknown component '" + scheme + "'"
                    + (similar.isEmpty() ? ": this service has no such Camel component" : similar));
            return;
        }
        JsonObject schema = schema(scheme);
        String what = scheme + " endpoint " + base(written);
        JsonObject info = object(schema, "component");
        if (info != null && use.consumer() && Boolean.TRUE.equals(info.getBoolean("producerOnly"))) {
            problem(file, use.line(), what + ": " + scheme + " endpoints can only be sent to, not consumed from");
            return;
        }
        if (info != null && !use.consumer() && Boolean.TRUE.equals(info.getBoolean("consumerOnly"))) {
            problem(file, use.line(), what + ": " + scheme + " endpoints can only be consumed from, not sent to");
            return;
        }
        String checked = withoutReferencesAndDynamicValues(file, yaml, use, nextEndpointLine, uri, what, schema);
        if (checked == null) {
            return;
        }
        try {
            camel.getEndpoint(checked);
        } catch (RuntimeException e) {
            report(file, yaml, use, nextEndpointLine, what, e, schema);
        }
    }

    /**
     * The endpoint as it can be created here: {@code #bean} options are left out (this context has no beans; the
     * bean names are checked on their own, the option names here), and the {@code ${...}} parts of a toD stand for
     * values only known per message. Null when nothing is left to check.
     */
    private String withoutReferencesAndDynamicValues(String file, RouteYaml yaml, Use use, int nextEndpointLine, String uri,
                                                     String what, JsonObject schema) {
        int question = uri.indexOf('?');
        String path = question < 0 ? uri : uri.substring(0, question);
        if (use.dynamic()) {
            // a path segment: after a host and port ({{shotgrid.site}}${...}) a bare letter would read as the port
            path = DYNAMIC.matcher(path).replaceAll("/x");
        }
        if (question < 0) {
            return path;
        }
        Map<String, Object> parameters;
        try {
            parameters = URISupport.parseQuery(uri.substring(question + 1), true);
        } catch (Exception e) {
            problem(file, use.line(), what + ": its options cannot be read: " + e.getMessage());
            return null;
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        boolean[] dropped = {false};
        Set<String> options = optionNames(schema);
        JsonObject info = object(schema, "component");
        // a lenient endpoint (http) passes unknown options on (as query parameters of the request)
        boolean lenient = info != null && Boolean.TRUE.equals(info.getBoolean("lenientProperties"));
        parameters.forEach((name, value) -> {
            String text = String.valueOf(value);
            boolean known = options.stream().anyMatch(option -> option.equalsIgnoreCase(name));
            if (lenient && !known && !options.isEmpty()
                    && (text.startsWith("#") || !suggestion(name, options).isEmpty())) {
                // passed on as a request parameter, Camel would not complain: a bean reference or a near miss of an
                // option is a typo all the same
                problem(file, optionLine(yaml, name, use.line(), nextEndpointLine), unknownOption(name, what, options)
                        + " (" + what.substring(0, what.indexOf(' ')) + " would send it to the server as a query parameter)");
            }
            if (text.startsWith("#") || text.contains("${")) {
                if (!options.isEmpty() && !lenient && options.stream().noneMatch(option -> option.equalsIgnoreCase(name))) {
                    problem(file, optionLine(yaml, name, use.line(), nextEndpointLine), unknownOption(name, what, options));
                }
                dropped[0] = true;
            } else {
                kept.put(name, value);
            }
        });
        if (!dropped[0]) {
            return path + uri.substring(question);
        }
        try {
            return kept.isEmpty() ? path : path + "?" + URISupport.createQueryString(kept);
        } catch (Exception e) {
            problem(file, use.line(), what + ": its options cannot be read: " + e.getMessage());
            return null;
        }
    }

    private void report(String file, RouteYaml yaml, Use use, int nextEndpointLine, String what, RuntimeException error,
                        JsonObject schema) {
        Set<String> options = optionNames(schema);
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            Matcher unknown = UNKNOWN_PARAMETERS.matcher(String.valueOf(cause.getMessage()));
            if (unknown.find()) {
                for (String parameter : unknown.group(1).split(", ")) {
                    String name = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
                    problem(file, optionLine(yaml, name, use.line(), nextEndpointLine), unknownOption(name, what, options));
                }
                return;
            }
            if (cause instanceof PropertyBindingException binding && binding.getPropertyName() != null) {
                String name = binding.getPropertyName();
                List<String> allowed = allowedValues(schema, name);
                problem(file, optionLine(yaml, name, use.line(), nextEndpointLine), what + ": option " + name + ": '"
                        + binding.getValue() + "' is not valid"
                        + (allowed.isEmpty() ? ": " + RouteFilesCheck.firstLine(RouteFilesCheck.rootCause(binding).getMessage()) : " (one of " + String.join(", ", allowed) + ")"));
                return;
            }
        }
        problem(file, use.line(), what + ": cannot be created: " + RouteFilesCheck.firstLine(RouteFilesCheck.rootCause(error).getMessage()));
    }

    private static String unknownOption(String name, String what, Set<String> options) {
        return "unknown option '" + name + "' of " + what + suggestion(name, options);
    }

    /** The line of the option under the endpoint's parameters, else the endpoint's own line (an option in the URI). */
    private static int optionLine(RouteYaml yaml, String name, int endpointLine, int nextEndpointLine) {
        return yaml.parameterKeys.stream()
                .filter(key -> key.value().equals(name) && key.line() >= endpointLine && key.line() < nextEndpointLine)
                .mapToInt(RouteYaml.Located::line).min().orElse(endpointLine);
    }

    private Component component(String scheme) {
        try {
            return camel.getComponent(scheme);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Set<String> componentNames() {
        if (componentNames == null) {
            componentNames = new TreeSet<>(PluginHelper.getComponentNameResolver(camel).resolveNames(camel));
        }
        return componentNames;
    }

    /** The component's catalog entry shipped in its jar (options, their values, consumer/producer only), or null. */
    private JsonObject schema(String scheme) {
        return schemas.computeIfAbsent(scheme, name -> {
            try {
                String json = camel instanceof CatalogCamelContext catalog ? catalog.getComponentParameterJsonSchema(name) : null;
                return json == null ? null : (JsonObject) Jsoner.deserialize(json);
            } catch (Exception e) {
                return null;
            }
        });
    }

    private static Set<String> optionNames(JsonObject schema) {
        JsonObject properties = object(schema, "properties");
        return properties == null ? Collections.emptySet() : new TreeSet<>(properties.keySet());
    }

    private static List<String> allowedValues(JsonObject schema, String option) {
        JsonObject property = object(object(schema, "properties"), option);
        List<?> values = property == null ? null : property.getCollection("enum");
        return values == null ? List.of() : values.stream().map(String::valueOf).toList();
    }

    private static JsonObject object(JsonObject parent, String key) {
        if (parent == null) {
            return null;
        }
        Object value = parent.get(key);
        return value instanceof JsonObject object ? object : null;
    }

    /** The endpoint as written, without its options (they may hold secrets and make the line long). */
    private static String base(String uri) {
        int question = uri.indexOf('?');
        return question < 0 ? uri : uri.substring(0, question);
    }

    /** One line per problem: the routes made from one template share its lines. */
    private void problem(String file, int line, String message) {
        Problem problem = new Problem(file, Math.max(line, 0), message);
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
    }
}
