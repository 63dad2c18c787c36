package clickseg.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code blocks of one README section, in order, exactly as a reader copies them: so a story can
 * run the snippets themselves and the README cannot drift from what works.
 */
final class ReadmeSnippets {
    private static final Pattern FENCE = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);

    record Snippet(String language, String code) {
    }

    private ReadmeSnippets() {
    }

    /** The fenced blocks between "## {title}" and the next "## " heading. */
    static List<Snippet> of(String title) {
        String readme;
        try {
            readme = Files.readString(Path.of(System.getProperty("clickseg.e2e.readme", "../README.md")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = readme.indexOf("\n## " + title + "\n");
        if (start < 0) {
            throw new AssertionError("the README has no section \"## " + title + "\"");
        }
        int end = readme.indexOf("\n## ", start + 1);
        Matcher block = FENCE.matcher(readme.substring(start, end < 0 ? readme.length() : end));
        List<Snippet> snippets = new ArrayList<>();
        while (block.find()) {
            snippets.add(new Snippet(block.group(1), block.group(2)));
        }
        return snippets;
    }
}
