package io.avalonsync.avalon;

import java.util.HashMap;
import java.util.List;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.avalonsync.avalon.AvalonFixtures.BRUCE_ID;
import static io.avalonsync.avalon.AvalonFixtures.CHARACTERS_ID;
import static io.avalonsync.avalon.AvalonFixtures.PROJECT_ID;
import static io.avalonsync.avalon.AvalonFixtures.asset;
import static io.avalonsync.avalon.AvalonFixtures.bruce;
import static io.avalonsync.avalon.AvalonFixtures.data;
import static io.avalonsync.avalon.AvalonFixtures.hierarchy;
import static io.avalonsync.avalon.AvalonFixtures.project;
import static io.avalonsync.avalon.AvalonFixtures.shot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvalonValidatorTest {

    private static final ObjectId ROBIN_ID = new ObjectId("650000000000000000000013");

    // ---------------------------------------------------------------- valid documents

    @Test
    void referenceExamplesOfOpenPypeAreValid() {
        AvalonValidator validator = new AvalonValidator(Flavour.OPENPYPE);
        Document project = Document.parse(AvalonFixtures.OPENPYPE_PROJECT_JSON);
        InMemoryAssetLookup lookup = hierarchy(Flavour.OPENPYPE);

        assertEquals(List.of(), validator.validateProject(project));
        Document bruce = Document.parse(AvalonFixtures.OPENPYPE_BRUCE_JSON);
        Document shot = Document.parse(AvalonFixtures.OPENPYPE_SHOT_JSON);
        assertEquals(List.of(), validator.validateAsset(bruce, project, lookup));
        assertEquals(List.of(), validator.validateAsset(shot, project, lookup));
    }

    @Test
    void referenceExampleOfAvalonCoreIsValid() {
        AvalonValidator validator = new AvalonValidator(Flavour.AVALON_CORE);
        Document shot = Document.parse(AvalonFixtures.AVALON_CORE_SHOT_JSON).append("_id", new ObjectId());

        List<Violation> violations
                = validator.validateAsset(shot, project(Flavour.AVALON_CORE), hierarchy(Flavour.AVALON_CORE));

        assertEquals(List.of(), violations);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void projectAndWholeHierarchyAreValid(Flavour flavour) {
        AvalonValidator validator = new AvalonValidator(flavour);
        Document project = project(flavour);
        InMemoryAssetLookup lookup = hierarchy(flavour);

        assertEquals(List.of(), validator.validateProject(project));
        for (Document asset : lookup.all()) {
            assertEquals(List.of(), validator.validateAsset(asset, project, lookup), asset.getString("name"));
        }
    }

    @Test
    void avalonCoreAssetMayLeaveOutParents() {
        Document shot = shot(Flavour.AVALON_CORE);
        data(shot).remove("parents");

        assertEquals(List.of(), validateAsset(Flavour.AVALON_CORE, shot));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void newAssetUnderExistingParentIsValid(Flavour flavour) {
        assertEquals(List.of(), validateAsset(flavour, robin(flavour)));
    }

    // ---------------------------------------------------------------- identity: schema, type, name, _id

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void assetWithAnotherFlavoursSchemaIsRejected(Flavour flavour) {
        Document asset = robin(flavour).append("schema", otherFlavour(flavour).assetSchema());

        assertRules(List.of("schema"), validateAsset(flavour, asset));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void projectWithAnotherFlavoursSchemaIsRejected(Flavour flavour) {
        Document project = project(flavour).append("schema", otherFlavour(flavour).projectSchema());

        assertRules(List.of("schema"), new AvalonValidator(flavour).validateProject(project));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void configWithAnotherFlavoursSchemaIsRejected(Flavour flavour) {
        Document project = project(flavour);
        config(project).put("schema", "avalon-core:config-0.9");

        assertRules(List.of("schema"), new AvalonValidator(flavour).validateProject(project));
    }

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = { "PYPE2", "AVALON_CORE" })
    void configWithoutSchemaIsRejected(Flavour flavour) {
        Document project = project(flavour);
        config(project).remove("schema");

        assertRules(List.of("schema"), new AvalonValidator(flavour).validateProject(project));
    }

    @Test
    void openPypeConfigMayLeaveOutSchema() {
        // as OpenPype's own create_project leaves it
        Document project = project(Flavour.OPENPYPE);
        config(project).remove("schema");

        assertEquals(List.of(), new AvalonValidator(Flavour.OPENPYPE).validateProject(project));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void wrongTypeIsRejected(Flavour flavour) {
        assertRules(List.of("type"), validateAsset(flavour, robin(flavour).append("type", "subset")));
        assertRules(List.of("type"),
                new AvalonValidator(flavour).validateProject(project(flavour).append("type", "asset")));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void invalidNamesAreRejected(Flavour flavour) {
        assertRules(List.of("name"), validateAsset(flavour, robin(flavour).append("name", "Robin Hood")));
        assertRules(List.of("name"), validateAsset(flavour, robin(flavour).append("name", "")));
        // dots pass the upstream schema but not session variables (^\w*$)
        assertRules(List.of("name"), validateAsset(flavour, robin(flavour).append("name", "robin.v2")));
        assertRules(List.of("name"),
                new AvalonValidator(flavour).validateProject(project(flavour).append("name", "demo show")));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void missingRequiredFieldsAreRejected(Flavour flavour) {
        Document noData = robin(flavour);
        noData.remove("data");
        Document noName = robin(flavour);
        noName.remove("name");
        Document noConfig = project(flavour);
        noConfig.remove("config");
        Document noSchema = project(flavour);
        noSchema.remove("schema");

        assertRules(List.of("required"), validateAsset(flavour, noData));
        assertRules(List.of("required"), validateAsset(flavour, noName));
        assertRules(List.of("required"), new AvalonValidator(flavour).validateProject(noConfig));
        assertRules(List.of("required"), new AvalonValidator(flavour).validateProject(noSchema));
    }

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = { "OPENPYPE", "PYPE2" })
    void openPypeAndPypeRequireDataParents(Flavour flavour) {
        Document asset = robin(flavour);
        data(asset).remove("parents");

        List<Violation> violations = validateAsset(flavour, asset);

        assertRules(List.of("required"), violations);
        assertTrue(violations.get(0).message().contains("['Assets', 'Characters']"), violations.toString());
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void idAsHexStringIsRejected(Flavour flavour) {
        Document asset = robin(flavour).append("_id", ROBIN_ID.toHexString());

        List<Violation> violations = validateAsset(flavour, asset);

        assertRules(List.of("bson-type"), violations);
        assertEquals("bson-type: _id must be an ObjectId, found String '650000000000000000000013'",
                violations.get(0).toString());
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void dataThatIsNoDocumentIsRejected(Flavour flavour) {
        assertRules(List.of("bson-type"), validateAsset(flavour, robin(flavour).append("data", "{}")));
    }

    // ---------------------------------------------------------------- BSON number types

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void frameStartAsLongIsRejected(Flavour flavour) {
        Document asset = robin(flavour);
        data(asset).put("frameStart", 1001L);

        List<Violation> violations = validateAsset(flavour, asset);

        assertRules(List.of("bson-type"), violations);
        assertEquals("bson-type: data.frameStart must be an Int32 (Integer), found Long 1001",
                violations.get(0).toString());
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void frameStartAsDoubleIsRejected(Flavour flavour) {
        Document asset = robin(flavour);
        data(asset).put("frameStart", 1001.0);

        assertRules(List.of("bson-type"), validateAsset(flavour, asset));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void fpsAsIntegerAndResolutionAsStringAreRejected(Flavour flavour) {
        Document asset = robin(flavour);
        data(asset).put("fps", 25);
        data(asset).put("resolutionWidth", "1920");

        assertRules(List.of("bson-type", "bson-type"), validateAsset(flavour, asset));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void projectDataNumberTypesAreChecked(Flavour flavour) {
        Document project = project(flavour);
        data(project).put("frameEnd", 1100L);
        data(project).put("pixelAspect", 1);

        assertRules(List.of("bson-type", "bson-type"), new AvalonValidator(flavour).validateProject(project));
    }

    // ---------------------------------------------------------------- parent

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void parentOtherThanProjectIsRejected(Flavour flavour) {
        // nesting through parent instead of data.visualParent breaks parenthood() in the loaders
        Document asset = robin(flavour).append("parent", CHARACTERS_ID);

        assertRules(List.of("parent"), validateAsset(flavour, asset));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void missingParentIsRejected(Flavour flavour) {
        Document asset = robin(flavour);
        asset.remove("parent");

        assertRules(List.of("parent"), validateAsset(flavour, asset));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void parentAsHexStringIsRejected(Flavour flavour) {
        Document asset = robin(flavour).append("parent", PROJECT_ID.toHexString());

        assertRules(List.of("bson-type"), validateAsset(flavour, asset));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void projectWithParentIsRejected(Flavour flavour) {
        Document project = project(flavour).append("parent", new ObjectId());

        assertRules(List.of("parent"), new AvalonValidator(flavour).validateProject(project));
    }

    // ---------------------------------------------------------------- silo

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = { "OPENPYPE", "PYPE2" })
    void siloNullIsRejected(Flavour flavour) {
        Document asset = robin(flavour).append("silo", null);

        assertRules(List.of("bson-type"), validateAsset(flavour, asset));
    }

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = { "OPENPYPE", "PYPE2" })
    void siloStringIsTolerated(Flavour flavour) {
        assertEquals(List.of(), validateAsset(flavour, robin(flavour).append("silo", "assets")));
    }

    @Test
    void avalonCoreRequiresSilo() {
        Document noSilo = robin(Flavour.AVALON_CORE);
        noSilo.remove("silo");
        Document nullSilo = robin(Flavour.AVALON_CORE).append("silo", null);
        Document badSilo = robin(Flavour.AVALON_CORE).append("silo", "my assets");

        assertRules(List.of("required"), validateAsset(Flavour.AVALON_CORE, noSilo));
        assertRules(List.of("bson-type"), validateAsset(Flavour.AVALON_CORE, nullSilo));
        assertRules(List.of("name"), validateAsset(Flavour.AVALON_CORE, badSilo));
    }

    // ---------------------------------------------------------------- hierarchy

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void visualParentAsHexStringIsRejected(Flavour flavour) {
        Document asset = robin(flavour);
        data(asset).put("visualParent", CHARACTERS_ID.toHexString());

        List<Violation> violations = validateAsset(flavour, asset);

        assertRules(List.of("bson-type"), violations);
        assertEquals("bson-type: data.visualParent must be an ObjectId or null, "
                     + "found String '650000000000000000000011'",
                violations.get(0).toString());
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void danglingVisualParentIsRejected(Flavour flavour) {
        Document asset = robin(flavour);
        ObjectId deleted = new ObjectId("6500000000000000000000ff");
        data(asset).put("visualParent", deleted);

        List<Violation> violations = validateAsset(flavour, asset);

        assertRules(List.of("visual-parent"), violations);
        assertTrue(violations.get(0).message().contains(deleted.toHexString()), violations.toString());
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void brokenAncestorChainIsRejected(Flavour flavour) {
        InMemoryAssetLookup lookup = hierarchy(flavour);
        data(lookup.byId(CHARACTERS_ID)).put("visualParent", new ObjectId("6500000000000000000000ff"));

        List<Violation> violations
                = new AvalonValidator(flavour).validateAsset(robin(flavour), project(flavour), lookup);

        assertRules(List.of("visual-parent"), violations);
        assertTrue(violations.get(0).message().contains("Characters"), violations.toString());
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void wrongParentsAreRejected(Flavour flavour) {
        Document asset = robin(flavour);
        data(asset).put("parents", List.of("Characters"));

        List<Violation> violations = validateAsset(flavour, asset);

        assertRules(List.of("parents"), violations);
        assertTrue(violations.get(0).message().contains("must be ['Assets', 'Characters']"), violations.toString());
        assertTrue(violations.get(0).message().contains("found ['Characters']"), violations.toString());
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void parentsOfTopLevelAssetMustBeEmpty(Flavour flavour) {
        Document asset = asset(flavour, ROBIN_ID, "Robin", null, List.of("Assets"));

        assertRules(List.of("parents"), validateAsset(flavour, asset));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void visualParentPointingAtItselfIsACycle(Flavour flavour) {
        Document asset = robin(flavour);
        data(asset).put("visualParent", ROBIN_ID);

        assertRules(List.of("cycle"), validateAsset(flavour, asset));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void visualParentChainThroughTheAssetIsACycle(Flavour flavour) {
        // Characters is moved under Bruce, which already lives under Characters
        InMemoryAssetLookup lookup = hierarchy(flavour);
        Document characters = lookup.byId(CHARACTERS_ID);
        data(characters).put("visualParent", BRUCE_ID);
        data(characters).put("parents", List.of("Assets", "Characters", "Bruce"));

        List<Violation> violations
                = new AvalonValidator(flavour).validateAsset(characters, project(flavour), lookup);

        assertRules(List.of("cycle"), violations);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void loopAmongAncestorsIsACycle(Flavour flavour) {
        InMemoryAssetLookup lookup = hierarchy(flavour);
        data(lookup.byId(AvalonFixtures.ASSETS_ID)).put("visualParent", CHARACTERS_ID);

        assertRules(List.of("cycle"),
                new AvalonValidator(flavour).validateAsset(robin(flavour), project(flavour), lookup));
    }

    // ---------------------------------------------------------------- uniqueness

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void duplicateNameIgnoringCaseIsRejected(Flavour flavour) {
        Document asset = robin(flavour).append("name", "bruce");

        List<Violation> violations = validateAsset(flavour, asset);

        assertRules(List.of("unique"), violations);
        assertTrue(violations.get(0).message().contains(BRUCE_ID.toHexString()), violations.toString());
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void updatingAnAssetDoesNotClashWithItself(Flavour flavour) {
        Document renamed = bruce(flavour).append("name", "BRUCE");

        assertEquals(List.of(), validateAsset(flavour, renamed));
    }

    // ---------------------------------------------------------------- tasks

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = { "OPENPYPE", "PYPE2" })
    void listTasksInDictFlavourAreRejected(Flavour flavour) {
        Document asset = robin(flavour);
        data(asset).put("tasks", List.of("Modeling"));

        assertRules(List.of("tasks"), validateAsset(flavour, asset));
    }

    @Test
    void dictTasksInAvalonCoreAreRejected() {
        Document asset = robin(Flavour.AVALON_CORE);
        data(asset).put("tasks", new Document("modeling", new Document("type", "modeling")));

        assertRules(List.of("tasks"), validateAsset(Flavour.AVALON_CORE, asset));
    }

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = { "OPENPYPE", "PYPE2" })
    void taskTypeMissingFromConfigIsRejected(Flavour flavour) {
        Document asset = robin(flavour);
        data(asset).put("tasks", new Document("Lighting", new Document("type", "Lighting")));

        List<Violation> violations = validateAsset(flavour, asset);

        assertRules(List.of("task-type"), violations);
        assertTrue(violations.get(0).message().contains("'Lighting'"), violations.toString());
    }

    @Test
    void avalonCoreTaskMissingFromConfigIsRejected() {
        Document asset = robin(Flavour.AVALON_CORE);
        data(asset).put("tasks", List.of("modeling", "lighting"));

        assertRules(List.of("task-type"), validateAsset(Flavour.AVALON_CORE, asset));
    }

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = { "OPENPYPE", "PYPE2" })
    void taskWithoutTypeIsRejected(Flavour flavour) {
        Document asset = robin(flavour);
        data(asset).put("tasks", new Document("Modeling", new Document()));

        assertRules(List.of("tasks"), validateAsset(flavour, asset));
    }

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = { "OPENPYPE", "PYPE2" })
    void taskNamesThatAreNoSafeMongoKeysAreRejected(Flavour flavour) {
        Document asset = robin(flavour);
        data(asset).put("tasks", new Document("model.v2", new Document("type", "Modeling"))
                .append("$set", new Document("type", "Modeling")));

        assertRules(List.of("tasks", "tasks"), validateAsset(flavour, asset));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void taskNamesDifferingOnlyInCaseAreRejected(Flavour flavour) {
        Document asset = robin(flavour);
        if (flavour.tasksAsDict()) {
            data(asset).put("tasks", new Document("Modeling", new Document("type", "Modeling"))
                    .append("modeling", new Document("type", "Modeling")));
        } else {
            // the config has no 'MODELING', so the second entry is also an undeclared task
            data(asset).put("tasks", List.of("modeling", "MODELING"));
        }

        List<String> expected = flavour.tasksAsDict() ? List.of("tasks") : List.of("tasks", "task-type");
        assertRules(expected, validateAsset(flavour, asset));
    }

    // ---------------------------------------------------------------- project config

    @Test
    void templateInOpenPypeConfigIsRejected() {
        Document project = project(Flavour.OPENPYPE);
        config(project).put("template", new Document("work", "{root}/{project}"));

        List<Violation> violations = new AvalonValidator(Flavour.OPENPYPE).validateProject(project);

        assertRules(List.of("config"), violations);
        assertTrue(violations.get(0).message().startsWith("config.template is not allowed in openpype:config-2.0"),
                violations.toString());
    }

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = { "PYPE2", "AVALON_CORE" })
    void rootsInConfig1IsRejected(Flavour flavour) {
        Document project = project(flavour);
        config(project).put("roots", new Document());

        assertRules(List.of("config"), new AvalonValidator(flavour).validateProject(project));
    }

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = { "OPENPYPE", "PYPE2" })
    void listTasksInDictFlavourConfigAreRejected(Flavour flavour) {
        Document project = project(flavour);
        config(project).put("tasks", List.of(new Document("name", "Modeling")));

        assertRules(List.of("config"), new AvalonValidator(flavour).validateProject(project));
    }

    @Test
    void dictTasksInAvalonCoreConfigAreRejected() {
        Document project = project(Flavour.AVALON_CORE);
        config(project).put("tasks", new Document("modeling", new Document("short_name", "mdl")));

        assertRules(List.of("config"), new AvalonValidator(Flavour.AVALON_CORE).validateProject(project));
    }

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = { "OPENPYPE", "PYPE2" })
    void configTaskTypeWithDotIsRejected(Flavour flavour) {
        Document project = project(flavour);
        config(project).get("tasks", Document.class).put("Look.dev", new Document("short_name", "lkd"));

        assertRules(List.of("config"), new AvalonValidator(flavour).validateProject(project));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void missingAppsAndMalformedAppsAreRejected(Flavour flavour) {
        Document noApps = project(flavour);
        config(noApps).remove("apps");
        Document badApps = project(flavour);
        config(badApps).put("apps", List.of(new Document("label", "Maya")));

        assertRules(List.of("config"), new AvalonValidator(flavour).validateProject(noApps));
        assertRules(List.of("config"), new AvalonValidator(flavour).validateProject(badApps));
    }

    @Test
    void avalonCoreNeedsTemplateWithWork() {
        Document noTemplate = project(Flavour.AVALON_CORE);
        config(noTemplate).remove("template");
        Document noWork = project(Flavour.AVALON_CORE);
        config(noWork).put("template", new Document("publish", "{root}/{project}"));
        Document nonString = project(Flavour.AVALON_CORE);
        config(nonString).get("template", Document.class).put("workfile", 3);

        AvalonValidator validator = new AvalonValidator(Flavour.AVALON_CORE);
        assertRules(List.of("config"), validator.validateProject(noTemplate));
        assertRules(List.of("config"), validator.validateProject(noWork));
        assertRules(List.of("config"), validator.validateProject(nonString));
    }

    @Test
    void pypeConfigTemplateIsOptional() {
        Document project = project(Flavour.PYPE2);
        config(project).remove("template");

        assertEquals(List.of(), new AvalonValidator(Flavour.PYPE2).validateProject(project));
    }

    @Test
    void avalonCoreConfigTaskNamesMustBeValid() {
        Document project = project(Flavour.AVALON_CORE);
        config(project).put("tasks", List.of(new Document("name", "look dev"), new Document("label", "no name")));

        assertRules(List.of("config", "config"), new AvalonValidator(Flavour.AVALON_CORE).validateProject(project));
    }

    @Test
    void embeddedDocumentsMayBePlainMaps() {
        Document asset = robin(Flavour.OPENPYPE);
        asset.put("data", new HashMap<>(data(asset)));

        assertEquals(List.of(), validateAsset(Flavour.OPENPYPE, asset));
    }

    @Test
    void violationPrintsRuleAndMessage() {
        assertEquals("unique: asset name 'x' is taken", new Violation("unique", "asset name 'x' is taken").toString());
    }

    // ---------------------------------------------------------------- helpers

    /** A new character under Assets/Characters, not yet in the project. */
    private static Document robin(Flavour flavour) {
        return asset(flavour, ROBIN_ID, "Robin", CHARACTERS_ID, List.of("Assets", "Characters"), "Modeling");
    }

    private static List<Violation> validateAsset(Flavour flavour, Document asset) {
        return new AvalonValidator(flavour).validateAsset(asset, project(flavour), hierarchy(flavour));
    }

    private static Document config(Document project) {
        return project.get("config", Document.class);
    }

    private static Flavour otherFlavour(Flavour flavour) {
        return flavour == Flavour.OPENPYPE ? Flavour.PYPE2 : Flavour.OPENPYPE;
    }

    private static void assertRules(List<String> expected, List<Violation> violations) {
        assertEquals(expected, violations.stream().map(Violation::rule).toList(), violations.toString());
    }
}
