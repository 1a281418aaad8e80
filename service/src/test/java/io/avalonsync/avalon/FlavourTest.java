package io.avalonsync.avalon;

import java.util.List;
import java.util.Set;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlavourTest {

    @Test
    void keysResolveToFlavours() {
        assertSame(Flavour.OPENPYPE, Flavour.fromKey("openpype"));
        assertSame(Flavour.PYPE2, Flavour.fromKey("pype2"));
        assertSame(Flavour.AVALON_CORE, Flavour.fromKey("avalon-core"));
        assertSame(Flavour.OPENPYPE, Flavour.fromKey(" OpenPype "));
        for (Flavour flavour : Flavour.values()) {
            assertSame(flavour, Flavour.fromKey(flavour.key()));
        }
    }

    @Test
    void unknownKeyNamesTheAcceptedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Flavour.fromKey("x"));
        assertEquals("avalon.flavour must be one of openpype, pype2, avalon-core (was 'x')", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Flavour.fromKey(null));
        assertEquals("avalon.flavour must be one of openpype, pype2, avalon-core (was 'null')", e.getMessage());
    }

    @Test
    void schemaStrings() {
        assertEquals("openpype:project-3.0", Flavour.OPENPYPE.projectSchema());
        assertEquals("openpype:config-2.0", Flavour.OPENPYPE.configSchema());
        assertEquals("openpype:asset-3.0", Flavour.OPENPYPE.assetSchema());

        assertEquals("pype:project-2.1", Flavour.PYPE2.projectSchema());
        assertEquals("pype:config-1.1", Flavour.PYPE2.configSchema());
        assertEquals("pype:asset-3.0", Flavour.PYPE2.assetSchema());

        assertEquals("avalon-core:project-2.0", Flavour.AVALON_CORE.projectSchema());
        assertEquals("avalon-core:config-1.0", Flavour.AVALON_CORE.configSchema());
        assertEquals("avalon-core:asset-2.0", Flavour.AVALON_CORE.assetSchema());
    }

    @Test
    void shapes() {
        assertTrue(Flavour.OPENPYPE.tasksAsDict());
        assertTrue(Flavour.PYPE2.tasksAsDict());
        assertFalse(Flavour.AVALON_CORE.tasksAsDict());

        assertFalse(Flavour.OPENPYPE.usesSilo());
        assertFalse(Flavour.PYPE2.usesSilo());
        assertTrue(Flavour.AVALON_CORE.usesSilo());
    }

    @Test
    void configKeys() {
        assertEquals(Set.of("schema", "apps", "tasks", "roots", "templates", "imageio", "families", "groups", "copy"),
                Flavour.OPENPYPE.allowedConfigKeys());
        Set<String> config1 = Set.of("schema", "template", "tasks", "apps", "families", "groups", "copy");
        assertEquals(config1, Flavour.PYPE2.allowedConfigKeys());
        assertEquals(config1, Flavour.AVALON_CORE.allowedConfigKeys());

        assertEquals(Set.of("tasks", "apps"), Flavour.OPENPYPE.requiredConfigKeys());
        assertEquals(Set.of("tasks", "apps"), Flavour.PYPE2.requiredConfigKeys());
        assertEquals(Set.of("tasks", "apps", "template"), Flavour.AVALON_CORE.requiredConfigKeys());
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void defaultConfigFitsItsSchema(Flavour flavour) {
        Document config = flavour.newProjectConfig();

        assertEquals(flavour.configSchema(), config.getString("schema"));
        assertTrue(flavour.allowedConfigKeys().containsAll(config.keySet()), config.keySet().toString());
        assertTrue(config.keySet().containsAll(flavour.requiredConfigKeys()), config.keySet().toString());
        assertInstanceOf(List.class, config.get("apps"));
        Class<?> tasksShape = flavour.tasksAsDict() ? Document.class : List.class;
        assertInstanceOf(tasksShape, config.get("tasks"));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void newProjectWithDefaultsIsValid(Flavour flavour) {
        Document project = new Document("_id", new ObjectId())
                .append("schema", flavour.projectSchema())
                .append("type", "project")
                .append("name", "demo_show")
                .append("data", flavour.newProjectData().append("code", "demo"))
                .append("config", flavour.newProjectConfig());

        assertEquals(List.of(), new AvalonValidator(flavour).validateProject(project));
        // templates put {project[code]} in every published file name
        project.get("data", Document.class).remove("code");
        assertEquals(List.of(Violation.CODE), new AvalonValidator(flavour).validateProject(project).stream()
                .map(Violation::rule).toList());
    }

    @Test
    void openPypeDefaultConfigCarriesAnatomy() {
        Document config = Flavour.OPENPYPE.newProjectConfig();

        Document templates = config.get("templates", Document.class);
        assertEquals(Set.of("defaults", "work", "publish", "hero", "delivery", "others"), templates.keySet());
        assertEquals(3, templates.get("defaults", Document.class).get("version_padding"));
        assertEquals("{@folder}/{@file}", templates.get("work", Document.class).getString("path"));
        assertEquals(Set.of("windows", "darwin", "linux"),
                config.get("roots", Document.class).get("work", Document.class).keySet());
        assertEquals(new Document(), config.get("imageio"));
    }

    @Test
    void avalonCoreDefaultConfigHasSiloTemplates() {
        Document template = Flavour.AVALON_CORE.newProjectConfig().get("template", Document.class);

        assertEquals("{root}/{project}/{silo}/{asset}/work/{task}/{app}", template.getString("work"));
        assertEquals("{root}/{project}/{silo}/{asset}/publish/{subset}/v{version:0>3}/{subset}.{representation}",
                template.getString("publish"));
    }

    @Test
    void pypeDefaultConfigHasStringTemplates() {
        Document template = Flavour.PYPE2.newProjectConfig().get("template", Document.class);

        assertEquals(Set.of("work", "publish"), template.keySet());
        assertTrue(template.getString("work").contains("{hierarchy}"));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void defaultsAreFreshAndMutable(Flavour flavour) {
        Document first = flavour.newProjectConfig();
        first.getList("apps", Object.class).add(new Document("name", "maya/2022"));
        first.put("copy", new Document());
        Document data = flavour.newProjectData();
        data.getList("tools_env", Object.class).add("mtoa");

        Document second = flavour.newProjectConfig();
        assertNotSame(first, second);
        assertTrue(second.getList("apps", Object.class).isEmpty());
        assertFalse(second.containsKey("copy"));
        assertTrue(flavour.newProjectData().getList("tools_env", Object.class).isEmpty());
    }

    @Test
    void projectDataDefaultsCarryReaderTypes() {
        Document data = Flavour.OPENPYPE.newProjectData();

        assertEquals(25.0, data.get("fps"));
        assertEquals(1.0, data.get("pixelAspect"));
        assertEquals(1001, data.get("frameStart"));
        assertEquals(1001, data.get("frameEnd"));
        assertEquals(1, data.get("clipIn"));
        assertEquals(1, data.get("clipOut"));
        assertEquals(0, data.get("handleStart"));
        assertEquals(0, data.get("handleEnd"));
        assertEquals(1920, data.get("resolutionWidth"));
        assertEquals(1080, data.get("resolutionHeight"));
        assertEquals(List.of(), data.get("tools_env"));
        assertEquals(true, data.get("active"));
        assertEquals(false, data.get("library_project"));
        assertInstanceOf(Double.class, data.get("fps"));
        assertInstanceOf(Integer.class, data.get("frameStart"));
    }
}
