package clickseg.server.share;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The HTML of /s/{id} (the app's own page, with the share's title and its Open Graph and Twitter card tags
 * so a pasted link shows the segmentation), of /s/{id}/delete, and of a share that is gone. Every piece of
 * user text (the title) and of the request (the host) is escaped; the pages carry no inline script or style,
 * only external files under /app/.
 */
final class SharePages {
    private static final String SITE = "clickseg";
    private static final String DEFAULT_TITLE = "A segmentation shared from clickseg";
    private static final String DESCRIPTION = "The object cut out on this photo, shown as its author left it: "
            + "open it to keep clicking and segment more.";

    private final String appPage = readAppPage();

    private static String readAppPage() {
        try (InputStream in = SharePages.class.getResourceAsStream("/public/index.html")) {
            if (in == null) {
                throw new IllegalStateException("the web client's /public/index.html is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /public/index.html", e);
        }
    }

    /** For a share of labelled objects, their labels first ("3 objects: dog, cat, person. …"). */
    private static String description(Share share) {
        if (share.objectsJson() == null) {
            return DESCRIPTION;
        }
        java.util.List<ShareRoutes.StoredObject> objects = ShareRoutes.objectsOf(share);
        java.util.Set<String> labels = new java.util.LinkedHashSet<>();
        for (ShareRoutes.StoredObject object : objects) {
            if (!object.label().isEmpty()) {
                labels.add(object.label());
            }
        }
        String count = objects.size() + (objects.size() == 1 ? " object" : " objects");
        return (labels.isEmpty() ? count : count + ": " + String.join(", ", labels)) + ". " + DESCRIPTION;
    }

    /** The app page for a share. {@code origin} is "scheme://host[:port]" as the client reached the server. */
    String sharePage(Share share, String origin, int previewWidth, int previewHeight) {
        String title = share.title() == null ? DEFAULT_TITLE : share.title();
        String pageUrl = origin + "/s/" + share.id();
        String imageUrl = pageUrl + "/preview.png";
        String description = description(share);
        StringBuilder head = new StringBuilder();
        head.append("<title>").append(HtmlText.escape(title)).append(" — clickseg</title>\n");
        meta(head, "name", "clickseg-share", share.id());
        meta(head, "name", "description", description);
        meta(head, "property", "og:type", "website");
        meta(head, "property", "og:site_name", SITE);
        meta(head, "property", "og:title", title);
        meta(head, "property", "og:description", description);
        meta(head, "property", "og:url", pageUrl);
        meta(head, "property", "og:image", imageUrl);
        meta(head, "property", "og:image:type", "image/png");
        meta(head, "property", "og:image:width", Integer.toString(previewWidth));
        meta(head, "property", "og:image:height", Integer.toString(previewHeight));
        meta(head, "property", "og:image:alt", "The segmented object highlighted on the photo");
        meta(head, "name", "twitter:card", "summary_large_image");
        meta(head, "name", "twitter:title", title);
        meta(head, "name", "twitter:description", description);
        meta(head, "name", "twitter:image", imageUrl);
        int start = appPage.indexOf("<title>");
        int end = appPage.indexOf("</title>");
        if (start < 0 || end < start) {
            throw new IllegalStateException("/public/index.html has no <title> to replace");
        }
        return appPage.substring(0, start) + head.toString().strip() + appPage.substring(end + "</title>".length());
    }

    /** The page that deletes a share: its script reads the secret from the URL fragment, never sent to the server. */
    String deletePage(Share share) {
        String title = share.title() == null ? "this share" : "“" + HtmlText.escape(share.title()) + "”";
        return document("Delete a share — clickseg", share.id(), """
                <h1>Delete %s?</h1>
                <p>The link will stop working for everyone who has it. The photo stays on the server as long as something
                else needs it.</p>
                <p><button id="share-delete" type="button" class="primary" disabled>Delete share</button>
                <a href="/s/%s">Open the share</a></p>
                <p id="share-delete-status" role="status" aria-live="polite"></p>
                """.formatted(title, share.id()));
    }

    /** The answer for an id that names no share (deleted, or never made). */
    String gonePage(String reason) {
        return document("Share not found — clickseg", null, """
                <h1 id="share-gone">This share is gone</h1>
                <p>%s</p>
                <p><a href="/">Open clickseg</a> to segment an image of your own.</p>
                """.formatted(HtmlText.escape(reason)));
    }

    /** The app's icon, inline (the policy allows data: images), so no page asks for a /favicon.ico that 404s. */
    private static final String FAVICON = "data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 16 16%22"
            + "%3E%3Crect width=%2216%22 height=%2216%22 rx=%224%22 fill=%22%232563eb%22/%3E%3C/svg%3E";

    private static String document(String title, String shareId, String body) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>%s</title>
                  <link rel="icon" href="%s">
                  %s<link rel="stylesheet" href="/app/clickseg.css">
                  %s
                </head>
                <body class="share-page">
                <main class="share-card">
                %s</main>
                </body>
                </html>
                """.formatted(HtmlText.escape(title), FAVICON,
                shareId == null ? "" : "<meta name=\"clickseg-share\" content=\"" + HtmlText.escape(shareId) + "\">\n  ",
                shareId == null ? "" : "<script src=\"/app/share-delete.js\" defer></script>", body);
    }

    private static void meta(StringBuilder head, String attribute, String name, String content) {
        head.append("<meta ").append(attribute).append("=\"").append(name).append("\" content=\"")
                .append(HtmlText.escape(content)).append("\">\n");
    }
}
