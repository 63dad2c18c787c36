package clickseg.export;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Safe, distinct names for the files an export writes per image and per object: no folders, no characters
 * that Windows, macOS or Linux refuse, no leading dots, at most 100 characters; a name that repeats gets "-2",
 * "-3", …. File names and labels are user input, and zip entries named "../x" would escape the folder a
 * careless unzipper extracts to.
 */
public final class FileNames {
    private static final int MAX_LENGTH = 100;

    private FileNames() {
    }

    /** The images' file names without folder and extension, made safe and distinct (in order). */
    public static List<String> stems(List<ExportImage> images) {
        List<String> stems = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (ExportImage image : images) {
            String name = image.fileName();
            int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
            name = name.substring(slash + 1);
            int dot = name.lastIndexOf('.');
            if (dot > 0) {
                name = name.substring(0, dot);
            }
            stems.add(distinct(safe(name, "image"), taken));
        }
        return stems;
    }

    /** A name made of the text's safe characters, or the fallback when nothing is left. */
    public static String safe(String text, String fallback) {
        StringBuilder s = new StringBuilder(Math.min(text.length(), MAX_LENGTH));
        for (int i = 0; i < text.length() && s.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            boolean bad = c < 0x20 || c == 0x7f || "/\\:*?\"<>|".indexOf(c) >= 0 || Character.isSurrogate(c);
            s.append(bad ? '_' : c == ' ' ? '_' : c);
        }
        String name = s.toString();
        while (name.startsWith(".")) {
            name = name.substring(1);
        }
        return name.isEmpty() ? fallback : name;
    }

    /** The name, or name-2, name-3, … — the first not yet taken (case-insensitively, as on Windows and macOS). */
    public static String distinct(String name, Set<String> taken) {
        String candidate = name;
        for (int n = 2; !taken.add(candidate.toLowerCase(Locale.ROOT)); n++) {
            candidate = name + "-" + n;
        }
        return candidate;
    }
}
