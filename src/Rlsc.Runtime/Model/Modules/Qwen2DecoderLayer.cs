using TorchSharp;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Model.Modules;

/// <summary>Pre-norm transformer block: x + attn(norm(x)), then h + mlp(norm(h)).</summary>
public sealed class Qwen2DecoderLayer : nn.Module<Tensor, AttentionContext, Tensor>
{
    public readonly Qwen2Attention self_attn;
    public readonly Qwen2MLP mlp;
    public readonly Qwen2RMSNorm input_layernorm;
    public readonly Qwen2RMSNorm post_attention_layernorm;

    public Qwen2DecoderLayer(ModelConfig config, int layerIndex, Device device, ScalarType dtype) : base(nameof(Qwen2DecoderLayer))
    {
        self_attn = new Qwen2Attention(config, layerIndex, device, dtype);
        mlp = new Qwen2MLP(config, device, dtype);
        input_layernorm = new Qwen2RMSNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        post_attention_layernorm = new Qwen2RMSNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, AttentionContext context)  // (B, T, C)
    {
        using var scope = NewDisposeScope();
        var h = x + self_attn.call(input_layernorm.call(x), context);
        return (h + mlp.call(post_attention_layernorm.call(h))).MoveToOuterDisposeScope();
    }
}
