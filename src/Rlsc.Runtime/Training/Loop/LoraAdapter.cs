using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// A low-rank update of one projection W (out, in): delta(x) = (alpha / r) * x A^T B^T with A (r, in) and
/// B (out, r). A starts uniform in +-1/sqrt(in) (the usual Kaiming bound of a Linear), B at zero, so the adapted
/// model starts equal to the base model. Kept in float32 whatever the base weights' dtype.
/// </summary>
public sealed class LoraAdapter : nn.Module<Tensor, Tensor>
{
    // Named like PEFT's keys (lora_A, lora_B).
    public readonly Parameter lora_A;   // (r, in)
    public readonly Parameter lora_B;   // (out, r)

    public LoraAdapter(long inFeatures, long outFeatures, int rank, double alpha, Device device, Generator generator)
        : base(nameof(LoraAdapter))
    {
        Scale = alpha / rank;
        double bound = 1 / Math.Sqrt(inFeatures);
        // Drawn on the CPU from the run's seeded generator, so the initial adapters do not depend on the device.
        var a = (rand([rank, inFeatures], generator: generator, dtype: ScalarType.Float32) * 2 - 1) * bound;
        lora_A = nn.Parameter(a.to(device));
        lora_B = nn.Parameter(zeros([outFeatures, rank], ScalarType.Float32, device));
        RegisterComponents();
    }

    /// <summary>alpha / r.</summary>
    public double Scale { get; }

    /// <summary>(..., in) -> (..., out) float32.</summary>
    public override Tensor forward(Tensor x) =>
        nn.functional.linear(nn.functional.linear(x.to_type(ScalarType.Float32), lora_A), lora_B) * Scale;

    /// <summary>The update as a weight, (alpha / r) B A: (out, in) float32.</summary>
    public Tensor DeltaWeight() => lora_B.matmul(lora_A) * Scale;
}
