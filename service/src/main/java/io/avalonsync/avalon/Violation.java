package io.avalonsync.avalon;

/**
 * One broken rule in an Avalon document, as reported by {@link AvalonValidator}.
 *
 * @param rule    a stable rule id, one of the constants below (used in logs, metrics and tests)
 * @param message what is wrong, naming the field and the offending value
 */
public record Violation(String rule, String message) {

    /** A name does not match {@code ^[a-zA-Z0-9_]+$} (or the silo pattern). */
    public static final String NAME = "name";
    /** A required field is missing. */
    public static final String REQUIRED = "required";
    /** A {@code schema} string is not the flavour's. */
    public static final String SCHEMA = "schema";
    /** The {@code type} discriminator is wrong. */
    public static final String TYPE = "type";
    /** A value has the wrong BSON type (hex string for an ObjectId, Int64 or Double for an Int32, ...). */
    public static final String BSON_TYPE = "bson-type";
    /** {@code asset.parent} is not the project {@code _id} (or a project has a parent). */
    public static final String PARENT = "parent";
    /** {@code data.visualParent} points at no existing asset. */
    public static final String VISUAL_PARENT = "visual-parent";
    /** {@code data.parents} differs from the names along the {@code visualParent} chain. */
    public static final String PARENTS = "parents";
    /** The {@code visualParent} chain loops. */
    public static final String CYCLE = "cycle";
    /** Another asset in the project has the same name, ignoring case. */
    public static final String UNIQUE = "unique";
    /** {@code data.tasks} has the wrong shape, an invalid task name or a duplicate task. */
    public static final String TASKS = "tasks";
    /** A task's type is not declared in the project's {@code config.tasks}. */
    public static final String TASK_TYPE = "task-type";
    /** The project has no {@code data.code} (templates use {@code {project[code]}}), or it is not a non-blank string. */
    public static final String CODE = "code";
    /** The project {@code config} has missing, unknown or malformed keys. */
    public static final String CONFIG = "config";

    @Override
    public String toString() {
        return rule + ": " + message;
    }
}
