using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Model.Modules;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) * up(x)). Projections are plain Linear fields (LoRA hooks apply).</summary>
public sealed class Qwen2MLP : nn.Module<Tensor, Tensor>
{
    public readonly Linear gate_proj;
    public readonly Linear up_proj;
    public readonly Linear down_proj;

    public Qwen2MLP(ModelConfig config, Device device, ScalarType dtype) : base(nameof(Qwen2MLP))
    {
        gate_proj = Allocate.Linear(config.HiddenSize, config.IntermediateSize, config.MlpBias, device, dtype);
        up_proj = Allocate.Linear(config.HiddenSize, config.IntermediateSize, config.MlpBias, device, dtype);
        down_proj = Allocate.Linear(config.IntermediateSize, config.HiddenSize, config.MlpBias, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)  // (B, T, C)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.silu(gate_proj.call(x)) * up_proj.call(x);  // (B, T, I)
        return down_proj.call(h).MoveToOuterDisposeScope();               // (B, T, C)
    }
}
