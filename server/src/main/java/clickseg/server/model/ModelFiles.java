package clickseg.server.model;

import java.nio.file.Path;

/** A manifest together with the verified local paths of its two ONNX graphs. */
public record ModelFiles(ModelManifest manifest, Path encoder, Path decoder) {
}
