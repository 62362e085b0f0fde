using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Runtime.Model.Modules;

namespace Rlsc.Runtime.Model;

/// <summary>
/// Random initialisation as transformers does for Qwen2/Llama (_init_weights): linear and embedding weights
/// ~ N(0, initializer_range), biases 0, norm weights 1. Values are drawn on the CPU from one seeded generator in
/// parameter order, one tensor at a time, so the same seed gives the same weights on any device and dtype
/// (rounded to it), and a large model needs no second copy.
/// </summary>
public static class ModelInitializer
{
    public static void Initialize(Qwen2ForCausalLM module, long seed)
    {
        var generator = new Generator(checked((ulong)seed));
        double std = module.Config.InitializerRange;
        using var noGrad = no_grad();
        foreach (var (name, parameter) in module.named_parameters())
        {
            using var scope = NewDisposeScope();
            if (name.EndsWith("norm.weight", StringComparison.Ordinal))
                parameter.fill_(1.0);
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
                parameter.zero_();
            else
                parameter.copy_(empty(parameter.shape, dtype: ScalarType.Float32).normal_(0, std, generator));
        }
    }
}
