package dev.arena.bots.scenario;

import java.util.Locale;

/** Who joins and what they do. */
public enum ScenarioKind {
    /** P publishers, N listeners that receive them all. */
    BROADCAST,
    /** Everyone publishes and receives everyone (the publishers; listeners may be added). */
    CONFERENCE,
    /** A host publishes; listeners raise hands, the host brings K of them on stage in turn, S seconds each. */
    STAGE,
    /** Like broadcast, then listeners leave and new ones join at a rate, keeping about N present. */
    CHURN;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException with the names accepted */
    public static ScenarioKind parse(String text) {
        for (ScenarioKind k : values()) {
            if (k.key().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("must be broadcast, conference, stage or churn, got '" + text + "'");
    }
}
