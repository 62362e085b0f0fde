using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Runtime.Platform;

namespace Rlsc.Runtime.Tests.Model;

/// <summary>Small random Qwen2 configurations and weights for tests (milliseconds to build and run).</summary>
internal static class TinyModels
{
    public static ModelConfig Config(int vocab = 40, int hidden = 16, int layers = 2, int heads = 4, int kvHeads = 2,
        int intermediate = 24, bool tied = false, string architecture = "Qwen2ForCausalLM", bool attentionBias = false) => new()
    {
        Architectures = [architecture],
        ModelType = architecture == "Qwen2ForCausalLM" ? "qwen2" : "llama",
        VocabSize = vocab,
        HiddenSize = hidden,
        IntermediateSize = intermediate,
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        NumKeyValueHeads = kvHeads,
        RmsNormEps = 1e-6,
        RopeTheta = 10000,
        MaxPositionEmbeddings = 256,
        TieWordEmbeddings = tied,
        EosTokenIds = [vocab - 1],
        BosTokenId = vocab - 2,
        AttentionBias = attentionBias,
    };

    /// <summary>
    /// A model with every parameter random (norm weights near 1, the rest N(0, scale)): far from HF's init, so
    /// attention is sharp and a bug in any term shows up in the logits.
    /// </summary>
    public static Qwen2ForCausalLM Create(ModelConfig config, long seed, ScalarType dtype = ScalarType.Float32, double scale = 0.4)
    {
        TorchLoader.EnsureLoaded();
        var module = new Qwen2ForCausalLM(config, CPU, dtype);
        var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, p) in module.named_parameters())
        {
            var values = randn(p.shape, dtype: ScalarType.Float64, generator: generator);
            p.copy_(name.EndsWith("norm.weight") ? 1 + 0.2 * values : scale * values);
        }
        module.eval();
        return module;
    }

    /// <summary>Random ids (B, T) in [0, vocab), int64.</summary>
    public static Tensor Ids(long batch, long length, int vocab, long seed) =>
        randint(0, vocab, [batch, length], dtype: ScalarType.Int64, generator: new Generator((ulong)seed));
}
