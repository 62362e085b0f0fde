using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Runtime.Platform;
using Rlsc.Runtime.Sampling;

namespace Rlsc.Benchmarks.Sampling;

/// <summary>
/// One sampling step over the full Qwen2.5 vocabulary (151,936 logits) at batch 16: torch.multinomial, Gumbel-max,
/// a single-level inverse CDF (full cumsum) and <see cref="TokenSampler"/> (two-level inverse CDF), plus the floor of
/// a step (softmax). The same comparison runs inside `rlsc bench generate`; this suite gives BenchmarkDotNet's
/// statistics. Run: dotnet run -c Release --project bench/Rlsc.Benchmarks -- --filter '*SamplerBenchmarks*'
/// </summary>
public class SamplerBenchmarks
{
    const int Batch = 16, Vocab = 151936;
    Tensor logits = null!, uniforms = null!;
    Generator generator = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        TorchLoader.EnsureLoaded();
        set_num_threads(Threads);
        generator = new Generator(1);
        logits = (3 * randn([Batch, Vocab], generator: generator)).DetachFromDisposeScope();
        uniforms = rand(Batch, generator: generator).DetachFromDisposeScope();
    }

    static long Run(Func<Tensor> step)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return step().numel();
    }

    [Benchmark(Description = "softmax (floor)")]
    public long Softmax() => Run(() => logits.softmax(-1));

    [Benchmark(Description = "torch.multinomial")]
    public long Multinomial() => Run(() => logits.softmax(-1).multinomial(1, false, generator));

    [Benchmark(Description = "Gumbel-max")]
    public long GumbelMax() => Run(() => (logits.softmax(-1) / empty_like(logits).exponential_(1, generator)).argmax(-1));

    [Benchmark(Description = "inverse CDF, full cumsum")]
    public long FullCumsum() => Run(() =>
    {
        var cdf = logits.softmax(-1).cumsum(-1);
        return searchsorted(cdf, uniforms.unsqueeze(-1) * cdf.narrow(1, Vocab - 1, 1), right: true);
    });

    [Benchmark(Baseline = true, Description = "TokenSampler (two-level inverse CDF)")]
    public long TwoLevel() => Run(() => TokenSampler.Sample(logits, 1, 1, 0, uniforms).Tokens);

    [Benchmark(Description = "TokenSampler greedy")]
    public long Greedy() => Run(() => TokenSampler.Sample(logits, 0, 1, 0, uniforms).Tokens);
}
