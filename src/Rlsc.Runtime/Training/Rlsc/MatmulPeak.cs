using System.Diagnostics;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// The float32 matrix-product rate this machine reaches now, with the current thread count: the ceiling a training
/// step's rate is compared with, measured in the same run so that a busy machine lowers both.
/// </summary>
public static class MatmulPeak
{
    /// <summary>GFLOP/s of a (n x n) @ (n x n) float32 product, the best of <paramref name="repeats"/> after one warm-up.</summary>
    public static double Measure(int n = 2048, int repeats = 3)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var a = randn(n, n);
        var b = randn(n, n);
        a.mm(b).Dispose();
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            long started = Stopwatch.GetTimestamp();
            a.mm(b).Dispose();
            best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }
}
