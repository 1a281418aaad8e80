package io.avalonsync.avalon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bson.Document;

/**
 * The Avalon document flavour a deployment writes (setting {@code avalon.flavour}).
 * <p/>
 * Each flavour pins the exact {@code schema} strings and the shapes clients of that generation read: a pype 2.x client
 * crashes on list-shaped tasks, vanilla avalon-core crashes on dict-shaped ones, and OpenPype 3 rejects any schema
 * prefix but {@code openpype:}.
 */
public enum Flavour {

    /** OpenPype 3.x: {@code openpype:*} schemas, config-2.0 (templates/roots/imageio), tasks as dict. */
    OPENPYPE("openpype", "openpype:project-3.0", "openpype:config-2.0", "openpype:asset-3.0",
             true, false, ConfigKeys.CONFIG_2_0_ALLOWED, ConfigKeys.CONFIG_2_0_REQUIRED),

    /** pype 2.x after the 2020-09-25 switch to dict tasks: {@code pype:*} schemas, config-1.1. */
    PYPE2("pype2", "pype:project-2.1", "pype:config-1.1", "pype:asset-3.0",
          true, false, ConfigKeys.CONFIG_1_X_ALLOWED, ConfigKeys.CONFIG_1_1_REQUIRED),

    /** Vanilla avalon-core, as the original Python tool wrote it: silos, list tasks, config.template required. */
    AVALON_CORE("avalon-core", "avalon-core:project-2.0", "avalon-core:config-1.0", "avalon-core:asset-2.0",
                false, true, ConfigKeys.CONFIG_1_X_ALLOWED, ConfigKeys.CONFIG_1_0_REQUIRED);

    private final String key;
    private final String projectSchema;
    private final String configSchema;
    private final String assetSchema;
    private final boolean tasksAsDict;
    private final boolean usesSilo;
    private final Set<String> allowedConfigKeys;
    private final Set<String> requiredConfigKeys;

    Flavour(String key, String projectSchema, String configSchema, String assetSchema, boolean tasksAsDict,
            boolean usesSilo, Set<String> allowedConfigKeys, Set<String> requiredConfigKeys) {
        this.key = key;
        this.projectSchema = projectSchema;
        this.configSchema = configSchema;
        this.assetSchema = assetSchema;
        this.tasksAsDict = tasksAsDict;
        this.usesSilo = usesSilo;
        this.allowedConfigKeys = allowedConfigKeys;
        this.requiredConfigKeys = requiredConfigKeys;
    }

    /**
     * Resolves the value of {@code avalon.flavour}; surrounding blanks and letter case are ignored.
     *
     * @throws IllegalArgumentException naming the accepted keys when {@code key} is none of them
     */
    public static Flavour fromKey(String key) {
        if (key != null) {
            String wanted = key.trim().toLowerCase(Locale.ROOT);
            for (Flavour flavour : values()) {
                if (flavour.key.equals(wanted)) {
                    return flavour;
                }
            }
        }
        throw new IllegalArgumentException(
                "avalon.flavour must be one of openpype, pype2, avalon-core (was '" + key + "')");
    }

    /** The configuration value naming this flavour. */
    public String key() {
        return key;
    }

    public String projectSchema() {
        return projectSchema;
    }

    public String configSchema() {
        return configSchema;
    }

    public String assetSchema() {
        return assetSchema;
    }

    /** {@code true}: tasks are {@code {name: {...}}} documents; {@code false}: lists (avalon-core). */
    public boolean tasksAsDict() {
        return tasksAsDict;
    }

    /**
     * {@code true}: every asset carries {@code silo} ("assets" or "shots"), as asset-2.0 requires. {@code false}:
     * never write {@code silo}, since asset-3.0 rejects {@code silo: null}.
     */
    public boolean usesSilo() {
        return usesSilo;
    }

    /** The keys the config schema allows; it has {@code additionalProperties: false}, so anything else fails. */
    public Set<String> allowedConfigKeys() {
        return allowedConfigKeys;
    }

    public Set<String> requiredConfigKeys() {
        return requiredConfigKeys;
    }

    /**
     * A fresh, mutable default {@code config} for a new project of this flavour, read from
     * {@code avalon/config-<key>.json} on the classpath, with {@code schema} set to {@link #configSchema()}.
     */
    public Document newProjectConfig() {
        String resource = "/avalon/config-" + key + ".json";
        JsonNode tree;
        try (InputStream in = Flavour.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Default project config " + resource + " is not on the classpath");
            }
            tree = JsonResources.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read default project config " + resource, e);
        }
        if (!tree.isObject()) {
            throw new IllegalStateException("Default project config " + resource + " must be a JSON object");
        }
        Document defaults = JsonResources.toDocument(tree);
        // the schema string is the flavour's, never the resource's
        defaults.remove("schema");
        Document config = new Document("schema", configSchema);
        config.putAll(defaults);
        return config;
    }

    /**
     * Insert-time defaults for project {@code data}, as OpenPype's project anatomy attributes define them. Numbers
     * carry the BSON types readers expect: Int32 frames and resolution, Double fps and pixel aspect.
     */
    public Document newProjectData() {
        Document data = new Document();
        data.put("fps", 25.0);
        data.put("frameStart", 1001);
        data.put("frameEnd", 1001);
        data.put("clipIn", 1);
        data.put("clipOut", 1);
        data.put("handleStart", 0);
        data.put("handleEnd", 0);
        data.put("resolutionWidth", 1920);
        data.put("resolutionHeight", 1080);
        data.put("pixelAspect", 1.0);
        data.put("tools_env", new ArrayList<>());
        data.put("active", true);
        data.put("library_project", false);
        return data;
    }

    // enum constants cannot refer to the enum's own static fields, hence the holder
    private static final class ConfigKeys {
        static final Set<String> CONFIG_2_0_ALLOWED
                = Set.of("schema", "apps", "tasks", "roots", "templates", "imageio", "families", "groups", "copy");
        static final Set<String> CONFIG_1_X_ALLOWED
                = Set.of("schema", "template", "tasks", "apps", "families", "groups", "copy");
        static final Set<String> CONFIG_2_0_REQUIRED = Set.of("tasks", "apps");
        static final Set<String> CONFIG_1_1_REQUIRED = Set.of("tasks", "apps");
        static final Set<String> CONFIG_1_0_REQUIRED = Set.of("tasks", "apps", "template");
    }

    private static final class JsonResources {
        static final ObjectMapper MAPPER = new ObjectMapper();

        static Document toDocument(JsonNode object) {
            Document document = new Document();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                document.put(field.getKey(), toBson(field.getValue()));
            }
            return document;
        }

        // numbers keep the BSON types readers expect: Int32 where it fits, Double for decimals
        static Object toBson(JsonNode node) {
            if (node.isObject()) {
                return toDocument(node);
            }
            if (node.isArray()) {
                List<Object> list = new ArrayList<>(node.size());
                for (JsonNode element : node) {
                    list.add(toBson(element));
                }
                return list;
            }
            if (node.isTextual()) {
                return node.textValue();
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            if (node.isIntegralNumber()) {
                return node.canConvertToInt() ? (Object) node.intValue() : (Object) node.longValue();
            }
            if (node.isNumber()) {
                return node.doubleValue();
            }
            return null;
        }
    }
}
