using Rlsc.Runtime.Tests.Model;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Runtime.Sampling;

namespace Rlsc.Runtime.Tests.Sampling;

public class GenerationTests
{
    static readonly int[][] Prompts = [[5, 9, 2, 7, 1, 30, 11], [3, 14], [8, 8, 21, 4]];  // different lengths: left padding

    static Qwen2ForCausalLM Model(long seed = 1, int vocab = 40) => TinyModels.Create(TinyModels.Config(vocab: vocab), seed, scale: 0.6);

    // No EOS: sequences run to MaxNewTokens unless a test sets stop ids.
    static StopCriteria NoStops => new([], [], null);

    static IReadOnlyList<GeneratedSequence> Run(Qwen2ForCausalLM module, GenerationOptions options, StopCriteria? stops = null, int[][]? prompts = null) =>
        Generation.Generate(module, prompts ?? Prompts, options, stops ?? NoStops);

    [TestCase(false)]
    [TestCase(true)]
    public void CachedGenerationEqualsANoCacheForward(bool samePromptLengths)
    {
        // Different lengths: left padding and masks; equal lengths take the unmasked path.
        int[][] prompts = samePromptLengths ? [[5, 9, 2, 7], [3, 14, 1, 1], [8, 8, 21, 4]] : Prompts;
        using var module = Model();
        var options = new GenerationOptions { SamplesPerPrompt = 2, Temperature = 0.9f, MaxNewTokens = 12, Seed = 3 };
        var cached = Run(module, options, prompts: prompts);
        var uncached = Run(module, options with { UseCache = false }, prompts: prompts);
        Assert.That(cached, Has.Count.EqualTo(6));
        for (int i = 0; i < cached.Count; i++)
        {
            Assert.That(cached[i].TokenIds, Is.EqualTo(uncached[i].TokenIds), $"sequence {i}");
            Assert.That(cached[i].TokenLogProbs, Is.EqualTo(uncached[i].TokenLogProbs).Within(1e-4), $"sequence {i}");
        }
        Assert.That(cached.Select(s => string.Join(",", s.TokenIds)).Distinct().Count(), Is.GreaterThan(3), "samples differ");
    }

    [Test]
    public void SamplesShareOnePrefillThenDecodeOneTokenPerStep()
    {
        using var module = Model();
        var shapes = new List<long[]>();
        var hook = module.model.embed_tokens.register_forward_hook((_, input, output) => { shapes.Add(input.shape); return output; });
        Run(module, new GenerationOptions { SamplesPerPrompt = 4, MaxNewTokens = 5, Seed = 1 }, prompts: [[1, 2, 3, 4, 5, 6]]);
        hook.remove();
        Assert.That(shapes[0], Is.EqualTo(new long[] { 1, 6 }), "one prefill of the prompt");
        Assert.That(shapes.Skip(1), Is.All.EqualTo(new long[] { 4, 1 }), "then one token for each of the 4 samples per step");
        Assert.That(shapes, Has.Count.EqualTo(5), "MaxNewTokens - 1 decode forwards: the last token needs no forward");
    }

    [Test]
    public void ScoringEqualsTheSampledLogProbs()
    {
        using var module = Model(seed: 2);
        const float temperature = 0.7f;
        var generated = Run(module, new GenerationOptions { SamplesPerPrompt = 2, Temperature = temperature, TopK = 10, TopP = 0.9f, MaxNewTokens = 10, Seed = 4 });
        var scored = TeacherForcing.Score(module, generated.Select(g => (Prompts[g.PromptIndex], g.TokenIds)).ToList(), temperature);
        for (int i = 0; i < generated.Count; i++)
        {
            Assert.That(scored[i], Is.EqualTo(generated[i].TokenLogProbs).Within(1e-4), $"sequence {i}");
            Assert.That(scored[i].Sum(x => (double)x), Is.EqualTo(generated[i].SumLogProb).Within(1e-3));
        }
    }

    [Test]
    public void TheSameSeedReproducesAndAnotherSeedDiffers()
    {
        using var module = Model();
        var options = new GenerationOptions { SamplesPerPrompt = 3, Temperature = 1f, MaxNewTokens = 8, Seed = 11 };
        var a = Run(module, options);
        var b = Run(module, options);
        var c = Run(module, options with { Seed = 12 });
        Assert.That(a.Select(s => s.TokenIds), Is.EqualTo(b.Select(s => s.TokenIds)));
        Assert.That(a.Select(s => s.TokenLogProbs), Is.EqualTo(b.Select(s => s.TokenLogProbs)));
        Assert.That(a.Select(s => s.TokenIds), Is.Not.EqualTo(c.Select(s => s.TokenIds)));
    }

    [TestCase(0f)]
    [TestCase(1f)]
    public void APromptsCompletionsDoNotDependOnItsBatch(float temperature)
    {
        // Left padding, batch size and the other prompts change nothing: positions count real tokens only, and
        // each sequence's random numbers are a function of (seed, prompt index, sample index, step).
        using var module = Model(seed: 5);
        var options = new GenerationOptions { Temperature = temperature, SamplesPerPrompt = 2, MaxNewTokens = 10, Seed = 8 };
        var batched = Run(module, options);
        for (int p = 0; p < Prompts.Length; p++)
        {
            var padded = Prompts.Select((q, i) => i == p ? q : new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }).ToArray();
            var other = Run(module, options with { MaxBatchSize = 2 }, prompts: padded).Where(s => s.PromptIndex == p).ToList();
            for (int s = 0; s < 2; s++)
            {
                Assert.That(other[s].TokenIds, Is.EqualTo(batched[2 * p + s].TokenIds), $"prompt {p} sample {s}");
                Assert.That(other[s].TokenLogProbs, Is.EqualTo(batched[2 * p + s].TokenLogProbs).Within(1e-4));
            }
        }
    }

    [Test]
    public void GreedySamplesOfOnePromptAreIdentical()
    {
        using var module = Model();
        var results = Run(module, new GenerationOptions { SamplesPerPrompt = 3, Temperature = 0, MaxNewTokens = 6 });
        foreach (var group in results.GroupBy(r => r.PromptIndex))
            Assert.That(group.Select(g => g.TokenIds).Distinct(new SequenceComparer()).Count(), Is.EqualTo(1));
        Assert.That(results.Select(r => (r.PromptIndex, r.SampleIndex)), Is.EqualTo(
            from p in Enumerable.Range(0, 3) from s in Enumerable.Range(0, 3) select (p, s)));
    }

    [Test]
    public void SmallBatchesGiveTheSameResults()
    {
        using var module = Model();
        var options = new GenerationOptions { SamplesPerPrompt = 3, Temperature = 1, MaxNewTokens = 5, Seed = 4 };
        var whole = Run(module, options);
        foreach (int max in new[] { 1, 2, 4 })
        {
            var split = Run(module, options with { MaxBatchSize = max });
            Assert.That(split.Select(s => (s.PromptIndex, s.SampleIndex)), Is.EqualTo(whole.Select(s => (s.PromptIndex, s.SampleIndex))), $"max {max}");
            Assert.That(split.Select(s => s.TokenIds), Is.EqualTo(whole.Select(s => s.TokenIds)), $"max {max}");
        }
    }

    [Test]
    public void EachSequenceStopsOnItsOwnEos()
    {
        using var module = Model(seed: 6);
        var options = new GenerationOptions { SamplesPerPrompt = 4, Temperature = 1.2f, MaxNewTokens = 30, Seed = 9 };
        var free = Run(module, options);
        // Stop on a token that some sequences sample early and others late or never.
        int stopToken = free.SelectMany(s => s.TokenIds.Take(10)).GroupBy(t => t).OrderByDescending(g => g.Count()).First().Key;
        var stopped = Run(module, options, new StopCriteria([stopToken], [], null));
        Assert.That(stopped.Select(s => s.FinishReason).Distinct(), Is.SupersetOf(new[] { "eos" }));
        for (int i = 0; i < free.Count; i++)
        {
            int first = Array.IndexOf(free[i].TokenIds, stopToken);
            if (first < 0)
            {
                Assert.That(stopped[i].FinishReason, Is.EqualTo("length"));
                Assert.That(stopped[i].TokenIds, Is.EqualTo(free[i].TokenIds));
            }
            else
            {
                Assert.That(stopped[i].FinishReason, Is.EqualTo("eos"));
                Assert.That(stopped[i].TokenIds, Is.EqualTo(free[i].TokenIds.Take(first + 1)), "same tokens up to and including the EOS");
            }
        }
    }

    [Test]
    public void ProgressCountsPromptsAsTheirLastSampleFinishes()
    {
        using var module = Model(seed: 6);
        var options = new GenerationOptions { SamplesPerPrompt = 4, Temperature = 1.2f, MaxNewTokens = 30, Seed = 9 };
        int stopToken = Run(module, options).SelectMany(s => s.TokenIds.Take(10)).GroupBy(t => t).OrderByDescending(g => g.Count()).First().Key;
        var reports = new List<GenerationProgress>();
        var results = Generation.Generate(module, Prompts, options, new StopCriteria([stopToken], [], null), new SynchronousProgress(reports.Add));
        var finishedAt = results.GroupBy(r => r.PromptIndex).Select(g => g.Max(r => r.TokenIds.Length)).ToList();
        Assert.That(finishedAt.Distinct().Count(), Is.GreaterThan(1), "prompts finish at different steps with this seed");
        // One report per step, then a final one; after step k (k tokens each) the prompts whose longest sample has <= k tokens are done.
        for (int k = 1; k < reports.Count; k++)
            Assert.That(reports[k - 1].PromptsDone, Is.EqualTo(finishedAt.Count(f => f <= k)), $"after step {k}");
        Assert.That(reports[^1].PromptsDone, Is.EqualTo(Prompts.Length));
        Assert.That(reports.Select(r => r.TokensGenerated), Is.Ordered);
    }

    [Test]
    public void StopStringsEndTheCompletionAndCutTheText()
    {
        using var module = Model(seed: 7, vocab: 26);
        static string Decode(int[] ids) => new(ids.Select(i => (char)('a' + i)).ToArray());
        // The first sampler seed whose free-running completion contains a stop string (found by search rather than
        // fixed, because the samples at T = 1.5 may differ between CPUs and thread counts).
        GenerationOptions options = null!;
        string freeText = "";
        int cut = -1;
        for (int seed = 1; seed <= 50 && cut < 0; seed++)
        {
            options = new GenerationOptions { Temperature = 1.5f, MaxNewTokens = 40, Seed = seed, StopStrings = ["q", "zz"] };
            freeText = Decode(Run(module, options, new StopCriteria([], [], Decode), [[1, 2, 3]]).Single().TokenIds);
            cut = new[] { freeText.IndexOf('q'), freeText.IndexOf("zz", StringComparison.Ordinal) }.Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        }
        Assert.That(cut, Is.GreaterThanOrEqualTo(0), "no seed in 1..50 sampled a stop string: the test cannot check stopping");

        var stopped = Run(module, options, new StopCriteria([], options.StopStrings, Decode), [[1, 2, 3]]).Single();
        Assert.That(stopped.FinishReason, Is.EqualTo("stop"));
        Assert.That(stopped.Text, Is.EqualTo(freeText[..cut]));
        Assert.That(Decode(stopped.TokenIds), Does.EndWith(freeText.Substring(cut, freeText[cut] == 'q' ? 1 : 2)));
    }

    [Test]
    public void CompletionsStopAtTheContextWindow()
    {
        using var module = TinyModels.Create(TinyModels.Config() with { MaxPositionEmbeddings = 12 }, seed: 3);
        var results = Run(module, new GenerationOptions { MaxNewTokens = 50, Seed = 1 }, prompts: [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3]]);
        Assert.That(results.Select(r => r.TokenIds.Length), Is.EqualTo(new[] { 2, 9 }), "prompt + completion never exceed 12 positions");
        Assert.That(results.Select(r => r.FinishReason), Is.All.EqualTo("length"));
        var e = Assert.Throws<RlscException>(() => Run(module, new GenerationOptions(), prompts: [Enumerable.Range(1, 12).ToArray()]))!;
        Assert.That(e.Message, Does.Contain("context window"));
    }

    [Test]
    public void AutomaticBatchesKeepTheCacheUnderItsBudget()
    {
        using var big = new Qwen2ForCausalLM(ModelPresets.Get("qwen2.5-math-1.5b").Config, new TorchSharp.torch.Device(TorchSharp.DeviceType.META), ScalarType.BFloat16);
        // 2 (k, v) x 28 layers x 2 KV heads x 128 x 2,300 tokens x 2 bytes = 66 MB per sequence.
        Assert.That(Generation.AutomaticBatchSize(big, 2300), Is.EqualTo(65));
        using var tiny = Model();
        Assert.That(Generation.AutomaticBatchSize(tiny, 2300), Is.EqualTo(256));
    }

    [Test]
    public void BadOptionsAndPromptsAreClearErrors()
    {
        using var module = Model();
        Assert.That(Assert.Throws<RlscException>(() => Run(module, new GenerationOptions { TopP = 0 }))!.Message, Does.Contain("top-p"));
        Assert.That(Assert.Throws<RlscException>(() => Run(module, new GenerationOptions { Temperature = -1 }))!.Message, Does.Contain("temperature"));
        Assert.That(Assert.Throws<RlscException>(() => Run(module, new GenerationOptions(), prompts: [[1], []]))!.Message, Does.Contain("prompt 1 is empty"));
        Assert.That(Assert.Throws<RlscException>(() => Run(module, new GenerationOptions(), prompts: [[1, 40]]))!.Message, Does.Contain("vocabulary"));
    }

    [Test]
    public void CancellationStopsBetweenSteps()
    {
        using var module = Model();
        using var source = new CancellationTokenSource();
        var progress = new SynchronousProgress(p => { if (p.TokensGenerated >= 6) source.Cancel(); });
        Assert.Throws<OperationCanceledException>(() =>
            Generation.Generate(module, Prompts, new GenerationOptions { MaxNewTokens = 50 }, NoStops, progress, source.Token));
    }

    sealed class SynchronousProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }

    sealed class SequenceComparer : IEqualityComparer<int[]>
    {
        public bool Equals(int[]? x, int[]? y) => x!.SequenceEqual(y!);
        public int GetHashCode(int[] obj) => obj.Aggregate(17, (h, v) => h * 31 + v);
    }
}
