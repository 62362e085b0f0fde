using TorchSharp;

namespace Rlsc.Runtime.Platform;

/// <summary>
/// TF32 for float32 matmuls on CUDA (Ampere and later: about 8x the float32 rate, 10-bit mantissa products with float32
/// accumulation), as PyTorch's set_float32_matmul_precision("high"). Applied where float32 weights are trained on a GPU;
/// bfloat16 compute is unaffected, and the CPU ignores the flag.
/// </summary>
public static class CudaMatmulPrecision
{
    /// <summary>Turns TF32 on for cuBLAS and cuDNN when <paramref name="device"/> is a CUDA device; returns whether it did.</summary>
    public static bool EnableTf32For(string device)
    {
        if (!device.StartsWith("cuda", StringComparison.Ordinal)) return false;
        torch.backends.cuda.matmul.allow_tf32 = true;
        torch.backends.cudnn.allow_tf32 = true;
        return true;
    }

    /// <summary>
    /// Full float32 matmuls (TF32 off for cuBLAS and cuDNN) until disposed, then the previous setting again: what
    /// `rlsc eval` computes in, for an evaluation inside a training process that turned TF32 on.
    /// </summary>
    public static IDisposable Float32Exact() => new Restore(torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32);

    sealed class Restore : IDisposable
    {
        readonly bool matmul, cudnn;

        public Restore(bool matmul, bool cudnn)
        {
            (this.matmul, this.cudnn) = (matmul, cudnn);
            torch.backends.cuda.matmul.allow_tf32 = false;
            torch.backends.cudnn.allow_tf32 = false;
        }

        public void Dispose()
        {
            torch.backends.cuda.matmul.allow_tf32 = matmul;
            torch.backends.cudnn.allow_tf32 = cudnn;
        }
    }

    /// <summary>Whether float32 matmuls on <paramref name="device"/> run in TF32 now; null for the CPU, which has no such mode.</summary>
    public static bool? IsTf32On(string device) =>
        device.StartsWith("cuda", StringComparison.Ordinal) ? torch.backends.cuda.matmul.allow_tf32 : null;
}
