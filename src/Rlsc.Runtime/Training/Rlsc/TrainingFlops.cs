using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// Matrix-product FLOPs of one forward + backward pass of a Qwen2 model, the usual count (backward = 2x forward):
/// the decoder's projections over every forwarded token (prompt, completion and padding) and the LM head over the
/// scored rows only. Attention's score and value products (~4 T C per token and layer, under 10% at these lengths)
/// and the chunked head's recomputation in backward are not counted, so the rate derived from it is a lower bound
/// of the work done: useful work, the way model-FLOPs utilisation is usually reported.
/// </summary>
public static class TrainingFlops
{
    public static double ForwardBackward(ModelConfig config, double forwardTokens, double scoredRows)
    {
        double c = config.HiddenSize, q = (double)config.NumAttentionHeads * config.HeadDim, kv = (double)config.NumKeyValueHeads * config.HeadDim;
        double perLayer = c * q + 2 * c * kv + q * c + 3 * c * config.IntermediateSize;   // q, k, v, o, gate, up, down
        double body = 2 * perLayer * config.NumHiddenLayers * forwardTokens;
        double head = 2 * c * config.VocabSize * scoredRows;
        return 3 * (body + head);
    }
}
