package io.avalonsync.avalon;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a tracker says about a project into the Avalon writes it needs: the project document here,
 * then every asset document parents first ({@link AssetPass}), each validated before it is planned. Tracker-neutral:
 * Kitsu and ShotGrid differ only in their {@link TrackerIdentity} and mappers.
 * <p>
 * Rules (README "What it writes"): identity by tracker id; {@code parent} is always the project;
 * the tree is {@code data.visualParent} + {@code data.parents}, recomputed; names are sanitised, unique
 * per project case-insensitively, clashes get the parent's name as prefix, a document keeps the name it
 * already has when that name is still one of its candidates; updates are {@code $set} / {@code $unset}
 * on the keys the tracker owns; other tools' tasks are never dropped; nothing is ever hard-deleted.
 */
public final class ProjectPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectPlanner.class);

    private final Flavour flavour;
    private final AvalonValidator validator;
    private final boolean archiveDeletes;

    public ProjectPlanner(Flavour flavour, boolean archiveDeletes) {
        this.flavour = flavour;
        this.validator = new AvalonValidator(flavour);
        this.archiveDeletes = archiveDeletes;
    }

    public Flavour flavour() {
        return flavour;
    }

    /** A full sync: the desired state covers the whole project; entities missing from it are retired. */
    public SyncPlan plan(DesiredProject desired, ExistingProject existing, TrackerIdentity identity) {
        return plan(desired, existing, identity, null);
    }

    /**
     * @param scope null for a full sync; for an event, the tracker ids it is about: only those may be
     *              retired, every other document is left as it is
     */
    public SyncPlan plan(DesiredProject desired, ExistingProject existing, TrackerIdentity identity, Set<String> scope) {
        return plan(desired, existing, identity, scope, AvalonLayout.AVALON_SYNC);
    }

    /**
     * @param layout the layout setting of the tracker ({@link AvalonLayout#AUTO}: decided from the project's
     *               documents)
     */
    public SyncPlan plan(DesiredProject desired, ExistingProject existing, TrackerIdentity identity, Set<String> scope,
            AvalonLayout layout) {
        SyncPlan plan = new SyncPlan(identity.source(), desired.label(), existing.collection());
        plan.entities(desired.assets().size());
        boolean openpype = layout.of(existing.assets(), identity) == AvalonLayout.OPENPYPE;
        Document project = planProject(desired, existing, identity, plan, openpype);
        if (project == null) {
            return plan;
        }
        new AssetPass(flavour, validator, archiveDeletes, desired, existing, identity, plan, project, scope, openpype)
                .run();
        return plan;
    }

    // ---------------------------------------------------------------- project document

    private Document planProject(DesiredProject desired, ExistingProject existing, TrackerIdentity identity,
            SyncPlan plan, boolean openpype) {
        Document project;
        DocumentChanges changes = null;
        if (existing.project() == null) {
            Document data = flavour.newProjectData();
            data.putAll(desired.attributes());
            if (!hasCode(data)) {
                data.put("code", derivedCode(desired.label(), existing.collection()));
            }
            if (!openpype) {
                data.put("label", desired.label()); // OpenPype's Kitsu module writes no label
            }
            identity.projectIdentity(desired.trackerId()).forEach((path, value) -> DocumentChanges.put(data, path, value));
            Document config = flavour.newProjectConfig();
            project = new Document("_id", new ObjectId())
                    .append("type", "project")
                    .append("name", existing.collection())
                    .append("schema", flavour.projectSchema())
                    .append("data", data)
                    .append("config", config);
            if (flavour == Flavour.AVALON_CORE) {
                project.append("parent", null);
            }
            Document fresh = project;
            DocumentChanges configChanges = new DocumentChanges(fresh);
            TaskMerge.mergeTaskTypes(flavour, fresh, configChanges, desired.taskTypes());
            project = configChanges.applied();
        } else {
            changes = new DocumentChanges(existing.project());
            if (!openpype) {
                changes.set("data.label", desired.label());
            }
            for (Map.Entry<String, Object> attribute : desired.attributes().entrySet()) {
                changes.set("data." + attribute.getKey(), attribute.getValue());
            }
            // no code in the tracker: the one already written stays (published file names carry it), else derive
            if (!hasCode(desired.attributes()) && !(TrackerIdentity.read(existing.project(), "data") instanceof Document data
                    && hasCode(data))) {
                changes.set("data.code", derivedCode(desired.label(), existing.collection()));
            }
            DocumentChanges identityChanges = changes;
            identity.projectIdentity(desired.trackerId()).forEach((path, value) -> identityChanges.set("data." + path, value));
            TaskMerge.mergeTaskTypes(flavour, existing.project(), changes, desired.taskTypes());
            project = changes.applied();
        }
        List<Violation> violations = validator.validateProject(project);
        if (!violations.isEmpty()) {
            String reason = violations.toString();
            LOG.error("rejected: {} project '{}' ({}) -> Avalon project '{}': {}; nothing of this project is written",
                    identity.source(), desired.label(), desired.trackerId(), existing.collection(), reason);
            plan.failProject(reason);
            return null;
        }
        if (changes == null) {
            plan.add(new InsertOneModel<>(project));
            plan.created();
        } else if (changes.isEmpty()) {
            plan.unchanged();
        } else {
            plan.add(new UpdateOneModel<>(Filters.eq("_id", project.get("_id")), changes.toUpdate()));
            plan.updated();
        }
        return project;
    }

    private static boolean hasCode(Map<String, Object> data) {
        return data.get("code") instanceof String code && !code.isBlank();
    }

    /**
     * The project code when the tracker has none: the name in lower case with spaces as {@code _}, as OpenPype's
     * Kitsu module made it, and sanitised (accents folded, other characters {@code _}) since templates put it in
     * every published file name ({@code {project[code]}}). Deterministic; written once, then kept.
     */
    static String derivedCode(String label, String collection) {
        String code = NameSanitizer.sanitize(label == null ? "" : label).toLowerCase(Locale.ROOT);
        return code.isEmpty() ? collection.toLowerCase(Locale.ROOT) : code;
    }
}
