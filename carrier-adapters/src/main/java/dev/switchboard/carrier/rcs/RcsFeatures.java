package dev.switchboard.carrier.rcs;

import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.Part;
import dev.switchboard.inbox.model.Suggestion;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The RBM device features ({@link RcsCapability#features()} names) a message needs, so a sender
 * can compare them with a peer's capabilities before sending rather than learn it from a 400.
 */
public final class RcsFeatures {
    public static final String RICHCARD_STANDALONE = "RICHCARD_STANDALONE";
    public static final String RICHCARD_CAROUSEL = "RICHCARD_CAROUSEL";
    public static final String ACTION_DIAL = "ACTION_DIAL";
    public static final String ACTION_OPEN_URL = "ACTION_OPEN_URL";
    public static final String ACTION_VIEW_LOCATION = "ACTION_VIEW_LOCATION";
    public static final String ACTION_SHARE_LOCATION = "ACTION_SHARE_LOCATION";
    public static final String ACTION_CREATE_CALENDAR_EVENT = "ACTION_CREATE_CALENDAR_EVENT";

    private RcsFeatures() {}

    /** Sorted, unmodifiable; empty for plain text, files, locations and reply chips. */
    public static Set<String> required(MessageContent content) {
        Set<String> features = new TreeSet<>();
        addActions(content.suggestions(), features);
        for (Part part : content.parts()) {
            if (part instanceof Part.Carousel carousel) {
                features.add(RICHCARD_CAROUSEL);
                carousel.cards().forEach(card -> addActions(card.suggestions(), features));
            } else if (part instanceof Part.RichCard card) {
                features.add(RICHCARD_STANDALONE);
                addActions(card.suggestions(), features);
            }
        }
        return Collections.unmodifiableSet(features);
    }

    private static void addActions(List<Suggestion> suggestions, Set<String> features) {
        for (Suggestion suggestion : suggestions) {
            String feature = action(suggestion);
            if (feature != null) {
                features.add(feature);
            }
        }
    }

    /** Null for a reply chip: every RCS client shows those. */
    private static String action(Suggestion suggestion) {
        if (suggestion instanceof Suggestion.Dial) {
            return ACTION_DIAL;
        } else if (suggestion instanceof Suggestion.OpenUrl) {
            return ACTION_OPEN_URL;
        } else if (suggestion instanceof Suggestion.ShowLocation) {
            return ACTION_VIEW_LOCATION;
        } else if (suggestion instanceof Suggestion.ShareLocation) {
            return ACTION_SHARE_LOCATION;
        } else if (suggestion instanceof Suggestion.CalendarEvent) {
            return ACTION_CREATE_CALENDAR_EVENT;
        }
        return null;
    }
}
