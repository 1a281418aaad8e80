package io.avalonsync.avalon;

/** A task type of the project configuration ({@code config.tasks}). */
public record TaskType(String name, String shortName) {
}
