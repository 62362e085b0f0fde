using Rlsc.Runtime.Platform;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>
/// The trainer's scoring path (CausalLmTrainable.Score: hidden states, completion rows only, chunked head) against
/// the plain one (full logits, TokenScores.FromLogits) on a tiny random Qwen2 with prompts and completions of
/// different lengths and right padding: token log-probs, entropies and every parameter's gradient of an RLSC-style
/// loss, in float64 (equal to rounding) and in float32 (equal to float32 rounding).
/// </summary>
public class CompletionTokenScorerTests
{
    const double Temperature = 0.5;
    static string modelDirectory = "";

    [OneTimeSetUp]
    public void WriteModel()
    {
        TorchLoader.EnsureLoaded();
        modelDirectory = Path.Combine(Path.GetTempPath(), "rlsc-scorer-" + Environment.ProcessId);
        // Sharpened random weights: distributions far from uniform, so log p and entropy vary across tokens.
        if (!Directory.Exists(modelDirectory)) TinyQwen.Write(modelDirectory, seed: 4, sharpness: 8);
    }

    [OneTimeTearDown]
    public void Delete()
    {
        if (Directory.Exists(modelDirectory)) Directory.Delete(modelDirectory, recursive: true);
        if (Directory.Exists(modelDirectory + "-tokenizer")) Directory.Delete(modelDirectory + "-tokenizer", recursive: true);
    }

    const int PromptLength = 6;

    static (int[] Prompt, IReadOnlyList<int>[] Completions) Rows()
    {
        var random = new Random(11);
        int[] Tokens(int n) => Enumerable.Range(0, n).Select(_ => random.Next(3, 256)).ToArray();
        var prompt = Tokens(PromptLength);
        return (prompt, new[] { 9, 1, 5, 12 }.Select(n => (IReadOnlyList<int>)Tokens(n)).ToArray());
    }

    static SequenceBatch Batch(int padId)
    {
        var (prompt, completions) = Rows();
        return SequenceBatch.Build(completions.Select(c => ((IReadOnlyList<int>)prompt, c)).ToList(), padId, CPU);
    }

    sealed record Result(Tensor LogProbs, Tensor Entropy, Dictionary<string, Tensor> Gradients);

    static Result Run(ITrainableModel model, Func<SequenceBatch, TokenScores> score)
    {
        using var batch = Batch(model.PadTokenId);
        model.Module.zero_grad();
        var scores = score(batch);
        // An RLSC-like loss with distinct per-sample coefficients, so each row's gradient is weighted differently.
        var coefficients = tensor(new[] { 0.9, -0.3, 1.7, 0.4 }).to_type(scores.LogProbs.dtype);
        (-(coefficients * scores.SequenceLogProbs()).sum()).backward();
        var gradients = model.Module.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.to_type(ScalarType.Float64).clone());
        return new Result(scores.LogProbs.detach().to_type(ScalarType.Float64), scores.Entropy.to_type(ScalarType.Float64), gradients);
    }

    static double ScaledError(Tensor a, Tensor b) => (a - b).abs().max().item<double>() / Math.Max(b.abs().max().item<double>(), 1e-300);

    static Result Plain(ITrainableModel model) =>
        Run(model, b => TokenScores.FromLogits(model.Logits(b.InputIds, b.AttentionMask), b.InputIds, b.CompletionMask, Temperature));

    static Result ChunkedThreeRows(ITrainableModel model)
    {
        var module = ((CausalLmTrainable)model).CausalLM.Module;
        return Run(model, b => CompletionTokenScorer.Score(
            module.call(new Rlsc.Runtime.Model.Modules.CausalLMInput(b.InputIds, b.AttentionMask, ComputeLogits: false)).HiddenStates,
            module.lm_head?.weight ?? module.model.embed_tokens.weight!, b.InputIds, b.CompletionMask, Temperature,
            chunkElements: 3 * module.Config.VocabSize));
    }

    static IEnumerable<TestCaseData> Cases()
    {
        // float64: the same quantities through a different order of operations, rounding only.
        yield return new TestCaseData("float64", 1e-12).SetName("{m}(float64)");
        // float32: a few ulps of the largest values; the losses' gradients sum over 27 rows and 259 tokens.
        yield return new TestCaseData("float32", 2e-5).SetName("{m}(float32)");
    }

    [TestCaseSource(nameof(Cases))]
    public void TheTrainersScoringEqualsTheFullLogitsPath(string dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        using var model = CausalLmTrainable.Load(modelDirectory, new ModelPlacement("cpu", dtype));
        var expected = Plain(model);
        foreach (var (what, actual) in new[]
                 {
                     ("model.Score", Run(model, b => model.Score(b.InputIds, b.AttentionMask, b.CompletionMask, Temperature))),
                     ("3 rows per chunk", ChunkedThreeRows(model)),
                 })
            AssertEqualScores(what, actual, expected, tolerance);
    }

    /// <summary>
    /// The prompt run once for the four rows (ScoreCompletions: shared keys and values, one backward into the prompt)
    /// against every row carrying its own prompt. Its token scores come in the layout (last prompt token, completion),
    /// so they are compared on the completion positions.
    /// </summary>
    [TestCaseSource(nameof(Cases))]
    public void ScoringTheCompletionsOfOneSharedPromptEqualsTheFullLogitsPath(string dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        using var model = CausalLmTrainable.Load(modelDirectory, new ModelPlacement("cpu", dtype));
        var (prompt, completions) = Rows();
        var plain = Plain(model);
        var expected = plain with
        {
            LogProbs = plain.LogProbs.narrow(1, PromptLength, plain.LogProbs.shape[1] - PromptLength),
            Entropy = plain.Entropy.narrow(1, PromptLength, plain.Entropy.shape[1] - PromptLength),
        };
        var shared = Run(model, _ => model.ScoreCompletions([new PromptCompletions(prompt, completions)], Temperature).Tokens);
        var actual = shared with { LogProbs = shared.LogProbs.narrow(1, 1, shared.LogProbs.shape[1] - 1), Entropy = shared.Entropy.narrow(1, 1, shared.Entropy.shape[1] - 1) };
        Assert.That(actual.LogProbs.shape, Is.EqualTo(expected.LogProbs.shape), "one column per completion position");
        AssertEqualScores("shared prompt", actual, expected, tolerance);
    }

    /// <summary>
    /// Several prompts of different lengths in one forward (the trainer's packed micro-batch: prompts right-padded and
    /// shared by their rows through a gather) against every row carrying its own prompt: each row's log p(y|x) and
    /// every parameter's gradient of an RLSC-like loss.
    /// </summary>
    [TestCaseSource(nameof(Cases))]
    public void ScoringThePackedCompletionsOfSeveralPromptsEqualsThePaddedPath(string dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        using var model = CausalLmTrainable.Load(modelDirectory, new ModelPlacement("cpu", dtype));
        var random = new Random(23);
        IReadOnlyList<int> Tokens(int n) => Enumerable.Range(0, n).Select(_ => random.Next(3, 256)).ToArray();
        var groups = new[] { (6, new[] { 9, 1 }), (3, new[] { 5, 12, 2 }), (8, new[] { 4 }) }
            .Select(g => new PromptCompletions([.. Tokens(g.Item1)], g.Item2.Select(Tokens).ToList())).ToList();
        var coefficients = new[] { 0.9, -0.3, 1.7, 0.4, -1.1, 0.6 };

        (Tensor LogProbs, Dictionary<string, Tensor> Gradients) Run(Func<RowScores> score)
        {
            model.Module.zero_grad();
            var sequence = score().SequenceLogProbs();
            (-(tensor(coefficients).to_type(sequence.dtype) * sequence).sum()).backward();
            return (sequence.detach().to_type(ScalarType.Float64).clone(), model.Module.named_parameters().Where(p => p.parameter.grad is not null)
                .ToDictionary(p => p.name, p => p.parameter.grad!.to_type(ScalarType.Float64).clone()));
        }

        var expected = Run(() => ITrainableModel.ScorePadded(model, groups, Temperature));
        var actual = Run(() => model.ScoreCompletions(groups, Temperature));
        Assert.That(actual.LogProbs.shape, Is.EqualTo(new long[] { 6 }), "one row per completion, prompt by prompt");
        Assert.That(ScaledError(actual.LogProbs, expected.LogProbs), Is.LessThan(tolerance), "log p(y|x) of each row");
        Assert.That(actual.Gradients.Keys, Is.EquivalentTo(expected.Gradients.Keys));
        double largest = expected.Gradients.Values.Max(g => g.abs().max().item<double>());
        foreach (var (name, grad) in expected.Gradients)
        {
            double error = (actual.Gradients[name] - grad).abs().max().item<double>() / Math.Max(grad.abs().max().item<double>(), 1e-3 * largest);
            Assert.That(error, Is.LessThan(tolerance), $"gradient of {name}");
        }
    }

    static void AssertEqualScores(string what, Result actual, Result expected, double tolerance)
    {
        Assert.That(ScaledError(actual.LogProbs, expected.LogProbs), Is.LessThan(tolerance), $"{what}: token log-probs");
        Assert.That(ScaledError(actual.Entropy, expected.Entropy), Is.LessThan(tolerance), $"{what}: entropies");
        // Prompt, padding and position 0 are exactly zero on both paths.
        Assert.That(TensorAssert.Same(actual.LogProbs.eq(0), expected.LogProbs.eq(0)), $"{what}: the same positions are scored");
        Assert.That(actual.Gradients.Keys, Is.EquivalentTo(expected.Gradients.Keys), $"{what}: the same parameters get gradients");
        // A gradient that is ~0 by cancellation (k_proj.bias: a key bias shifts a query's scores almost uniformly)
        // is compared on the scale of the largest gradient, not its own.
        double largest = expected.Gradients.Values.Max(g => g.abs().max().item<double>());
        foreach (var (name, grad) in expected.Gradients)
        {
            double error = (actual.Gradients[name] - grad).abs().max().item<double>() / Math.Max(grad.abs().max().item<double>(), 1e-3 * largest);
            Assert.That(error, Is.LessThan(tolerance), $"{what}: gradient of {name}");
        }
    }
}
