package dev.switchboard.inbox.model;

/** A suggested reply or action attached to a message or a rich card. */
public sealed interface Suggestion {
    String text();

    record Reply(String text, String postbackData) implements Suggestion {}

    record OpenUrl(String text, String url) implements Suggestion {}

    record Dial(String text, String phoneNumber) implements Suggestion {}

    record ShowLocation(String text, double latitude, double longitude, String label) implements Suggestion {}

    record ShareLocation(String text) implements Suggestion {}

    record CalendarEvent(String text, String title, String description, String startTime, String endTime)
            implements Suggestion {}
}
