using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Rlsc.Runtime.Tests.Model;
using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Runtime.Platform;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Rlsc;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>
/// One RLSC step (forward, per-sequence log-probs at T = 0.5, weights, coefficients, loss, backward) of our
/// TokenScores + RlscObjective against an independent PyTorch/transformers implementation written from the paper's
/// formulas: eng/rlsc-reference/make_reference.py, run on the transformers-written tiny checkpoint
/// Model/HfParity/qwen2-gqa in float64; its output is RlscReference/rlsc-reference.json (schema
/// rlsc.rlsc-reference/v1). Our side loads the same checkpoint through our loader in float64.
/// </summary>
public class RlscReferenceTests
{
    // Tolerances. Both sides are float64 end to end except the rotary cos/sin, which both compute in float32 from
    // bit-identical inv_freq (HfParityTests checks that), so what remains is float64 rounding in a different order of
    // operations (SDPA vs our attention, fused vs unfused log-softmax). Measured (docs/training.md, "Independent
    // reference"): loss, log-probs, weights, coefficients and gradient norms agree to <= 4.2e-15 relative; the full
    // gradients to <= 1.8e-12, the worst being layer 0's k_proj.bias, a cancellation-heavy gradient (under RoPE a key
    // bias shifts a query's scores almost uniformly, and softmax ignores uniform shifts). 1e-10 leaves 50x headroom
    // over that for other libtorch builds, while every formula mistake tried moves some value by 1e-3 relative or
    // more: temperature outside the log-softmax, mean instead of sum over tokens, sum instead of mean over samples,
    // a gradient through w (loss unchanged, gradients off by 0.15-12x), paper weights scaled by 1.001.
    const double RelativeTolerance = 1e-10;
    // Absolute floor for gradient entries that are ~0 (relative error is meaningless there): 1e-10 of the
    // largest |entry| of the tensor.
    const double GradientFloorFraction = 1e-10;

    static readonly Lazy<JsonObject> ReferenceJson = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(SourceDirectory(), "RlscReference", "rlsc-reference.json")))!.AsObject());

    static JsonObject Reference => ReferenceJson.Value;

    [OneTimeSetUp]
    public void LoadTorch() => TorchLoader.EnsureLoaded();

    static IEnumerable<string> CaseNames() => ["paper", "normalized", "normalized-renormalized"];

    [Test]
    public void TheReferenceIsWhatItClaims()
    {
        Assert.That((string)Reference["schema"]!, Is.EqualTo("rlsc.rlsc-reference/v1"));
        Assert.That((string)Reference["dtype"]!, Is.EqualTo("float64"));
        Assert.That(HfParityFixture.Number(Reference["temperature"]), Is.EqualTo(0.5), "the paper's sampling temperature");
        var cases = Reference["cases"]!.AsArray().Select(c => (string)c!["name"]!).ToArray();
        Assert.That(cases, Is.EquivalentTo(CaseNames()));
        var lengths = Completions().Select(c => c.Length).ToArray();
        Assert.That(lengths.Distinct().Count(), Is.EqualTo(lengths.Length), "completions of different lengths: every row padded differently");
        // The paper's weights must matter: some w well above 0, so its part of the gradient is checked too.
        var paper = Case("paper");
        Assert.That(HfParityFixture.Doubles(paper["weights"]).Max(), Is.GreaterThan(0.1));
    }

    [Test]
    public void OurBatchLayoutIsTheReferences()
    {
        using var scope = NewDisposeScope();
        using var batch = BuildBatch();
        Assert.That(batch.InputIds.data<long>().ToArray(), Is.EqualTo(HfParityFixture.LongMatrix(Reference["input_ids"]).data<long>().ToArray()));
        Assert.That(batch.AttentionMask.data<long>().ToArray(), Is.EqualTo(HfParityFixture.LongMatrix(Reference["attention_mask"]).data<long>().ToArray()));
        Assert.That(batch.CompletionMask.data<long>().ToArray(), Is.EqualTo(HfParityFixture.LongMatrix(Reference["completion_mask"]).data<long>().ToArray()));
    }

    [TestCaseSource(nameof(CaseNames))]
    public void OneStepMatchesTheIndependentReference(string name) => CompareOneStep(name, chunked: false);

    /// <summary>The trainer's scoring path: hidden states, completion rows only, LM head and log-softmax in row chunks
    /// (2 rows per chunk here, so every sequence spans several chunks).</summary>
    [TestCaseSource(nameof(CaseNames))]
    public void OneStepWithChunkedScoringMatchesTheIndependentReference(string name) => CompareOneStep(name, chunked: true);

    static void CompareOneStep(string name, bool chunked)
    {
        var expected = Case(name);
        using var scope = NewDisposeScope();
        using var module = LoadFloat64();
        var (loss, seq, w, c) = Step(module, expected, chunked);

        var worst = new Dictionary<string, double>
        {
            ["loss"] = RelativeDiff([loss], [HfParityFixture.Number(expected["loss"])]),
            ["sequence_log_probs"] = RelativeDiff(seq, HfParityFixture.Doubles(expected["sequence_log_probs"])),
            ["weights"] = RelativeDiff(w, HfParityFixture.Doubles(expected["weights"])),
            ["coefficients"] = RelativeDiff(c, HfParityFixture.Doubles(expected["coefficients"])),
        };

        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var expectedNorms = expected["grad_norms"]!.AsObject();
        Assert.That(parameters.Keys, Is.EquivalentTo(expectedNorms.Select(kv => kv.Key)), "the same parameters on both sides");
        double globalSquared = 0;
        double worstNorm = 0;
        foreach (var (pname, p) in parameters)
        {
            Assert.That(p.grad, Is.Not.Null, $"{pname} has no gradient");
            double norm = p.grad!.norm().item<double>();
            globalSquared += norm * norm;
            worstNorm = Math.Max(worstNorm, RelativeDiff([norm], [HfParityFixture.Number(expectedNorms[pname])]));
        }
        worst["grad_norms"] = worstNorm;
        worst["global_grad_norm"] = RelativeDiff([Math.Sqrt(globalSquared)], [HfParityFixture.Number(expected["global_grad_norm"])]);

        foreach (var (pname, values) in expected["full_gradients"]!.AsObject())
        {
            var theirs = HfParityFixture.Doubles(values);
            var grad = parameters[pname].grad!;
            Assert.That(grad.shape, Is.EqualTo(expected["full_gradient_shapes"]![pname]!.AsArray().Select(x => x!.GetValue<long>()).ToArray()), pname);
            var ours = grad.reshape(-1).data<double>().ToArray();
            double floor = GradientFloorFraction * theirs.Max(Math.Abs);
            double d = 0;
            for (int i = 0; i < ours.Length; i++)
                d = Math.Max(d, Math.Abs(ours[i] - theirs[i]) / Math.Max(Math.Abs(theirs[i]), floor));
            worst["grad " + pname] = d;
        }

        TestContext.Out.WriteLine($"{name}{(chunked ? " (chunked)" : "")}: max relative |ours - reference| " +
                                  string.Join(", ", worst.Select(kv => $"{kv.Key} {kv.Value:E2}")) + $" (tolerance {RelativeTolerance:E0})");
        foreach (var (what, d) in worst)
            Assert.That(d, Is.LessThan(RelativeTolerance), $"{name}: {what}");
    }

    /// <summary>
    /// The tolerance separates right from wrong: the classic mistake (log_softmax(logits) / T instead of
    /// log_softmax(logits / T)) lands orders of magnitude outside it on this batch.
    /// </summary>
    [Test]
    public void AWrongTemperaturePlacementIsFarOutside()
    {
        using var scope = NewDisposeScope();
        using var module = LoadFloat64();
        using var batch = BuildBatch();
        Tensor logits;
        using (no_grad())
            logits = module.call(new CausalLMInput(batch.InputIds, batch.AttentionMask)).Logits!;   // (B, T, V)
        double temperature = HfParityFixture.Number(Reference["temperature"]);
        var wrong = TokenScores.FromLogits(logits, batch.InputIds, batch.CompletionMask, 1.0).SequenceLogProbs() / temperature;  // (B)
        double d = RelativeDiff(wrong.data<double>().ToArray(), HfParityFixture.Doubles(Case("paper")["sequence_log_probs"]));
        Assert.That(d, Is.GreaterThan(1e6 * RelativeTolerance));
    }

    static (double Loss, double[] Seq, double[] W, double[] C) Step(Qwen2ForCausalLM module, JsonObject expected, bool chunked)
    {
        var options = new RlscLossOptions
        {
            Weighting = (string)expected["weighting"]! switch
            {
                "paper" => Weighting.Paper,
                "normalized" => Weighting.Normalized,
                var other => throw new InvalidDataException($"rlsc-reference.json: unknown weighting '{other}'"),
            },
            Alpha = HfParityFixture.Number(expected["alpha"]),
            Renormalize = expected["renormalize"]!.GetValue<bool>(),
            SampleReduction = (string)expected["sample_reduction"]! == "mean" ? Reduction.Mean : Reduction.Sum,
        };
        var objective = new RlscObjective(options);
        using var batch = BuildBatch();
        module.train();
        module.zero_grad();
        double temperature = HfParityFixture.Number(Reference["temperature"]);
        var output = module.call(new CausalLMInput(batch.InputIds, batch.AttentionMask, ComputeLogits: !chunked));
        var scores = chunked
            ? CompletionTokenScorer.Score(output.HiddenStates, module.lm_head?.weight ?? module.model.embed_tokens.weight!,
                batch.InputIds, batch.CompletionMask, temperature, chunkElements: 2 * module.Config.VocabSize)
            : TokenScores.FromLogits(output.Logits!, batch.InputIds, batch.CompletionMask, temperature);
        Assert.That(scores.LogProbs.dtype, Is.EqualTo(ScalarType.Float64));
        var seq = scores.SequenceLogProbs();                                                                    // (B)
        var w = objective.Weights(seq);
        var c = objective.Coefficients(w);
        var loss = RlscObjective.Loss(seq, c, objective.Scale((int)seq.shape[0], questionsPerStep: 1));
        loss.backward();
        return (loss.item<double>(), seq.detach().data<double>().ToArray(), w.data<double>().ToArray(), c.data<double>().ToArray());
    }

    static Qwen2ForCausalLM LoadFloat64()
    {
        var module = CausalLM.LoadModule(Path.Combine(HfParityFixture.Directory, "qwen2-gqa"), new ModelLoadOptions(DType: "float64"));
        Assert.That(module.DType, Is.EqualTo(ScalarType.Float64));
        return module;
    }

    static SequenceBatch BuildBatch()
    {
        var prompt = HfParityFixture.Ints(Reference["prompt"]);
        var rows = Completions().Select(c => ((IReadOnlyList<int>)prompt, (IReadOnlyList<int>)c)).ToList();
        return SequenceBatch.Build(rows, (int)HfParityFixture.Number(Reference["pad_id"]), CPU);
    }

    static int[][] Completions() => Reference["completions"]!.AsArray().Select(HfParityFixture.Ints).ToArray();

    static JsonObject Case(string name) =>
        Reference["cases"]!.AsArray().Select(c => c!.AsObject()).Single(c => (string)c["name"]! == name);

    /// <summary>max_i |a_i - b_i| / |b_i|.</summary>
    static double RelativeDiff(double[] a, double[] b)
    {
        Assert.That(a, Has.Length.EqualTo(b.Length));
        double d = 0;
        for (int i = 0; i < a.Length; i++) d = Math.Max(d, Math.Abs(a[i] - b[i]) / Math.Abs(b[i]));
        return d;
    }

    static string SourceDirectory([CallerFilePath] string source = "") => Path.GetDirectoryName(source)!;
}
