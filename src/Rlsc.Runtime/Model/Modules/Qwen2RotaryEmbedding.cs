using TorchSharp;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Model.Modules;

/// <summary>
/// Rotary position embeddings in HF's half-rotation layout: the head's first and second halves form the
/// (x, y) pairs. cos/sin are computed in float32 from the positions on every call (cheap: (B, T, D)), so left
/// padding and a KV cache need no precomputed table.
/// </summary>
public sealed class Qwen2RotaryEmbedding : nn.Module<Tensor, (Tensor Cos, Tensor Sin)>
{
    // inv_freq[i] = theta^(-2i/D), float32 like HF; a non-persistent buffer: never part of a checkpoint.
    readonly Tensor inv_freq;  // (D/2)

    public Qwen2RotaryEmbedding(int headDim, double ropeTheta, Device device) : base(nameof(Qwen2RotaryEmbedding))
    {
        using (NewDisposeScope())
        {
            var exponents = arange(0, headDim, 2, dtype: ScalarType.Int64, device: device).to(ScalarType.Float32) / headDim;
            inv_freq = pow(tensor(ropeTheta, ScalarType.Float32, device), exponents).reciprocal().DetachFromDisposeScope();
        }
        register_buffer(nameof(inv_freq), inv_freq, persistent: false);
    }

    /// <summary>cos and sin for <paramref name="positionIds"/> (B, T): each (B, T, D), in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) forward(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var freqs = positionIds.to(ScalarType.Float32).unsqueeze(-1) * inv_freq.to(positionIds.device);  // (B, T, D/2)
        var angles = cat([freqs, freqs], -1);                                                               // (B, T, D)
        return (angles.cos().to(dtype).MoveToOuterDisposeScope(), angles.sin().to(dtype).MoveToOuterDisposeScope());
    }

    public override (Tensor Cos, Tensor Sin) forward(Tensor positionIds) => forward(positionIds, ScalarType.Float32);

    /// <summary>x * cos + rotate_half(x) * sin for x (B, H, T, D) and cos/sin (B, T, D).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var rotated = cat([-x[TensorIndex.Ellipsis, TensorIndex.Slice(half)], x[TensorIndex.Ellipsis, TensorIndex.Slice(null, half)]], -1);
        return (x * cos.unsqueeze(1) + rotated * sin.unsqueeze(1)).MoveToOuterDisposeScope();
    }
}
