using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Model.Modules;

/// <summary>
/// Root-mean-square norm: x / sqrt(mean(x^2) + eps) * weight, computed in float32 whatever the model's dtype
/// (bf16's 8-bit mantissa loses the mean of squares), then cast back before the weight, as HF does. A float64
/// model (tests) stays in float64.
/// </summary>
public sealed class Qwen2RMSNorm : nn.Module<Tensor, Tensor>
{
    public readonly Parameter weight;  // (C)
    readonly double eps;

    public Qwen2RMSNorm(long hiddenSize, double eps, Device device, ScalarType dtype) : base(nameof(Qwen2RMSNorm))
    {
        weight = new Parameter(ones(hiddenSize, dtype: dtype, device: device));
        this.eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)  // (..., C)
    {
        using var scope = NewDisposeScope();
        var h = x.dtype == ScalarType.Float64 ? x : x.to(ScalarType.Float32);
        var variance = h.pow(2).mean([-1], keepdim: true);  // (..., 1)
        h = h * rsqrt(variance + eps);
        return (weight * h.to(x.dtype)).MoveToOuterDisposeScope();
    }
}
