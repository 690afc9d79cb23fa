package npuc.logging;

import java.util.Locale;

/** How log lines are written: for people reading a terminal, or one JSON object per line for a log pipeline. */
public enum LogFormat {
    TEXT, JSON;

    /** "text" or "json", in any case. */
    public static LogFormat parse(String name) {
        for (LogFormat format : values()) {
            if (format.name().equalsIgnoreCase(name.trim())) {
                return format;
            }
        }
        throw new IllegalArgumentException("log format must be text or json, not '" + name + "'");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
