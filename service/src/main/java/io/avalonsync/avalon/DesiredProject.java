package io.avalonsync.avalon;

import java.util.List;

import org.bson.Document;

/**
 * What a tracker says about a project.
 *
 * @param trackerId  the tracker's project id
 * @param label      raw project name; the Avalon name (and collection) is its sanitised form, fixed at creation
 * @param attributes tracker-owned project {@code data} keys (code, fps, resolution, active)
 * @param taskTypes  task types for {@code config.tasks}
 * @param assets     every entity of the project, parents anywhere in the list
 */
public record DesiredProject(String trackerId, String label, Document attributes, List<TaskType> taskTypes,
        List<DesiredAsset> assets) {
}
