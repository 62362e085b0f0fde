using Rlsc.Core;

namespace Rlsc.Runtime.Model;

/// <summary>
/// A named model shape for <c>rlsc init-model --config NAME</c> and the benchmarks.
/// <see cref="VocabFromTokenizer"/>: the vocabulary is sized to the tokenizer (rounded up to a multiple of 64,
/// as Qwen pads its embedding) so that a tiny model stays tiny with a small test tokenizer and covers every id
/// of the real one.
/// </summary>
public sealed record ModelPreset(string Name, string Description, ModelConfig Config, bool VocabFromTokenizer)
{
    /// <summary>The config with the vocabulary fitted to a tokenizer of <paramref name="tokenizerVocabSize"/> ids.</summary>
    public ModelConfig For(int tokenizerVocabSize) =>
        VocabFromTokenizer ? Config with { VocabSize = (tokenizerVocabSize + 63) / 64 * 64 } : Config;
}

/// <summary>The presets, from a few hundred thousand parameters to the real Qwen2.5-Math shapes.</summary>
public static class ModelPresets
{
    // Qwen2.5's special-token ids: <|endoftext|> is both bos and eos of the base models.
    const int EndOfText = 151643;

    static ModelConfig Qwen2(int vocab, int hidden, int intermediate, int layers, int heads, int kvHeads, bool tied,
        int maxPositions = 4096, double ropeTheta = 10000, string dtype = "float32") => new()
    {
        Architectures = ["Qwen2ForCausalLM"],
        ModelType = "qwen2",
        VocabSize = vocab,
        HiddenSize = hidden,
        IntermediateSize = intermediate,
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        NumKeyValueHeads = kvHeads,
        RmsNormEps = 1e-6,
        RopeTheta = ropeTheta,
        MaxPositionEmbeddings = maxPositions,
        TieWordEmbeddings = tied,
        TorchDtype = dtype,
        BosTokenId = vocab > EndOfText ? EndOfText : null,
        EosTokenIds = vocab > EndOfText ? [EndOfText] : [],
    };

    public static readonly IReadOnlyList<ModelPreset> All =
    [
        new("tiny", "hidden 128, 2 layers, 4 query / 2 KV heads: ~0.4M parameters with a 300-token test tokenizer; for unit tests",
            Qwen2(vocab: 0, hidden: 128, intermediate: 352, layers: 2, heads: 4, kvHeads: 2, tied: true, maxPositions: 2048), VocabFromTokenizer: true),
        new("small", "hidden 256, 8 layers, 4 query / 2 KV heads: ~47M parameters with the Qwen2.5 vocabulary (39M of them the tied embedding); for CPU demos and benchmarks",
            Qwen2(vocab: 0, hidden: 256, intermediate: 1024, layers: 8, heads: 4, kvHeads: 2, tied: true), VocabFromTokenizer: true),
        new("lmhead-bench", "hidden 64, 3 layers, 8 query / 2 KV heads, the full 151,936 vocabulary: the decode step is dominated by the LM head and the sampler (issue 3's target case)",
            Qwen2(vocab: 151936, hidden: 64, intermediate: 256, layers: 3, heads: 8, kvHeads: 2, tied: true), VocabFromTokenizer: false),
        new("qwen2.5-math-1.5b", "the shape of Qwen/Qwen2.5-Math-1.5B (1.54B parameters, tied embeddings, bfloat16)",
            Qwen2(vocab: 151936, hidden: 1536, intermediate: 8960, layers: 28, heads: 12, kvHeads: 2, tied: true, dtype: "bfloat16")
                with { Extra = QwenExtras(maxWindowLayers: 21) }, VocabFromTokenizer: false),
        new("qwen2.5-math-7b", "the shape of Qwen/Qwen2.5-Math-7B (7.6B parameters, untied, bfloat16)",
            Qwen2(vocab: 152064, hidden: 3584, intermediate: 18944, layers: 28, heads: 28, kvHeads: 4, tied: false, dtype: "bfloat16")
                with { Extra = QwenExtras(maxWindowLayers: 28) }, VocabFromTokenizer: false),
    ];

    // Keys the released Qwen2.5-Math configs carry that this runtime does not use; kept so the files match.
    static Dictionary<string, System.Text.Json.Nodes.JsonNode?> QwenExtras(int maxWindowLayers) => new()
    {
        ["attention_dropout"] = 0.0,
        ["max_window_layers"] = maxWindowLayers,
        ["sliding_window"] = 4096,
        ["use_cache"] = true,
        ["use_mrope"] = false,
        ["use_sliding_window"] = false,
    };

    public static ModelPreset? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The preset called <paramref name="name"/>, or RLSC001 listing the names.</summary>
    public static ModelPreset Get(string name) =>
        Find(name) ?? throw new RlscException(ErrorCodes.InvalidArgument,
            $"unknown model preset '{name}'; expected a config.json path or one of: {string.Join(", ", All.Select(p => p.Name))}.");
}
