using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Expressions;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Metrics;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;
using Rlsc.Runtime.Evaluation;
using Rlsc.Runtime.Platform;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>
/// ttrl, entropy and self_certainty (and rlsc through the same interface): loss and gradient against hand
/// computations in float64 loops on random logits, written from the papers' formulas rather than from the code.
/// Each test also shows that the mistakes it guards against (a mean over all tokens instead of per completion, a
/// gradient through the reward, sum instead of mean) change the gradient by far more than its tolerance.
/// </summary>
public class LabelFreeObjectiveTests
{
    const int B = 4, T = 8, V = 5, PromptLength = 2;
    static readonly int[] CompletionLengths = [5, 3, 1, 6];   // the rest of each row is padding
    const double Temperature = 0.7, Tolerance = 1e-12;
    static readonly Func<string, string, bool> Equal = new MathGrader().AreEqual;

    [OneTimeSetUp]
    public void LoadTorch() => TorchLoader.EnsureLoaded();

    // ---------- ttrl ----------

    [TestCase(Reduction.Mean)]
    [TestCase(Reduction.Sum)]
    public void TtrlLossAndGradientEqualAHandComputation(Reduction reduction)
    {
        using var scope = NewDisposeScope();
        var batch = Batch.Random(seed: 5);
        // "0.5" and "1/2" are the same answer to the grader: the majority is that class (3 of 4), one sample has none.
        string?[] answers = ["0.5", "1/2", null, "\\frac{1}{2}"];
        double[] rewards = [1, 1, 0, 1];
        double[] advantages = HandAdvantages(rewards, 1e-6);
        double scale = reduction == Reduction.Mean ? 1.0 / B : 1.0;

        var (loss, grad, signals) = Run(new TtrlObjective(new RlscLossOptions { SampleReduction = reduction }), batch, answers);

        Assert.That(signals.Signal, Is.EqualTo(rewards));
        for (int b = 0; b < B; b++) Assert.That(signals.Coefficient[b], Is.EqualTo(advantages[b]).Within(Tolerance), $"A_{b}");
        double expected = -scale * Enumerable.Range(0, B).Sum(b => advantages[b] * batch.SequenceLogProb(b));
        Assert.That(loss, Is.EqualTo(expected).Within(Tolerance));
        AssertGradient(grad, PolicyGradient(batch, advantages, scale), "ttrl");
        Assert.That(MaxDifference(grad, PolicyGradient(batch, advantages, reduction == Reduction.Mean ? 1.0 : 1.0 / B)), Is.GreaterThan(1e-3),
            "the other reduction must be told apart");
    }

    [Test]
    public void TtrlGroupsWithoutSignalContributeNothing()
    {
        using var scope = NewDisposeScope();
        var batch = Batch.Random(seed: 6);
        foreach (var answers in new[] { new string?[] { null, null, null, null }, ["3", "3.0", "3", "3"] })
        {
            var (loss, grad, signals) = Run(new TtrlObjective(new RlscLossOptions()), batch, answers);
            Assert.That(signals.Coefficient, Is.All.EqualTo(0.0), string.Join(",", answers));
            Assert.That(loss, Is.EqualTo(0.0));
            Assert.That(grad.abs().max().item<double>(), Is.EqualTo(0.0));
        }
    }

    [Test]
    public void MajorityVoteTakesTheLargestClassAndTheEarliestOnATie()
    {
        Assert.That(MajorityVoteReward.Of(["4", "5", "5", null, "4"], Equal), Is.EqualTo(new double[] { 1, 0, 0, 0, 1 }));   // tie 2:2, "4" first
        Assert.That(MajorityVoteReward.Of(["4", "5", "5", null, "6"], Equal), Is.EqualTo(new double[] { 0, 1, 1, 0, 0 }));
        Assert.That(MajorityVoteReward.Of([null, null], Equal), Is.EqualTo(new double[] { 0, 0 }));
    }

    [Test]
    public void GroupAdvantagesUseTheSampleStdAndTheDocumentedEpsilon()
    {
        double[] r = [1, 0, 0, 0];
        // mean 0.25, sample variance (0.5625 + 3 * 0.0625) / 3 = 0.25, std 0.5.
        Assert.That(GroupAdvantages.Of(r, 1e-6)[0], Is.EqualTo(0.75 / (0.5 + 1e-6)).Within(1e-15));
        Assert.That(GroupAdvantages.Of(r, 1e-6)[1], Is.EqualTo(-0.25 / (0.5 + 1e-6)).Within(1e-15));
        Assert.That(GroupAdvantages.Of([0.3, 0.3, 0.3], 1e-6), Is.All.EqualTo(0.0));
        Assert.That(GroupAdvantages.Of([0.3], 1e-6), Is.All.EqualTo(0.0));
        Assert.That(new RlscLossOptions().AdvantageEpsilon, Is.EqualTo(1e-6), "docs/training.md states this default");
    }

    // ---------- self_certainty ----------

    [TestCase(Reduction.Mean)]
    [TestCase(Reduction.Sum)]
    public void SelfCertaintyRewardLossAndGradientEqualAHandComputation(Reduction reduction)
    {
        using var scope = NewDisposeScope();
        var batch = Batch.Random(seed: 9);
        // u_i = (1/|y_i|) sum_t KL(U || p_t), KL(U || p) = sum_v (1/V) log((1/V) / p_v).
        double[] rewards = Enumerable.Range(0, B).Select(b => batch.CompletionPositions(b)
            .Average(t => batch.LogSoftmax(b, t - 1).Sum(lp => (1.0 / V) * (Math.Log(1.0 / V) - lp)))).ToArray();
        double[] advantages = HandAdvantages(rewards, 1e-6);
        double scale = reduction == Reduction.Mean ? 1.0 / B : 1.0;

        var (loss, grad, signals) = Run(new SelfCertaintyObjective(new RlscLossOptions { SampleReduction = reduction }), batch, new string?[B]);

        for (int b = 0; b < B; b++)
        {
            Assert.That(signals.Signal[b], Is.EqualTo(rewards[b]).Within(Tolerance), $"u_{b}");
            Assert.That(rewards[b], Is.GreaterThan(0), "KL is positive for a non-uniform p");
        }
        double expected = -scale * Enumerable.Range(0, B).Sum(b => advantages[b] * batch.SequenceLogProb(b));
        Assert.That(loss, Is.EqualTo(expected).Within(Tolerance));
        AssertGradient(grad, PolicyGradient(batch, advantages, scale), "self_certainty");
    }

    [Test]
    public void AGradientThroughTheSelfCertaintyRewardWouldFailTheReference()
    {
        using var scope = NewDisposeScope();
        var batch = Batch.Random(seed: 9);
        var logits = batch.Logits();
        var scores = RowScores.FromLogits(logits, batch.Ids(), batch.Mask(), Temperature, ScoreNeeds.SelfCertainty);
        var signals = new SelfCertaintyObjective(new RlscLossOptions()).Signals(Group(new string?[B]), Enumerable.Range(0, B).ToList(), scores);
        // The mistake: the same loss value, with the reward's own gradient added (u * A * log p differentiated through u).
        var logP = nn.functional.log_softmax(logits[.., ..(T - 1), ..] / Temperature, -1);
        var mask = batch.Mask()[.., 1..].to_type(ScalarType.Float64);
        var u = ((-logP.mean([-1L]) - Math.Log(V)) * mask).sum(-1) / mask.sum(-1);
        var a = tensor(signals.Coefficient);
        var wrong = -(a * (u / u.detach()) * scores.SequenceLogProbs()).sum() / B;
        wrong.backward();
        Assert.That(MaxDifference(logits.grad!, PolicyGradient(batch, signals.Coefficient, 1.0 / B)), Is.GreaterThan(1e-3));
    }

    // ---------- entropy ----------

    [TestCase(Reduction.Mean)]
    [TestCase(Reduction.Sum)]
    public void EntropyLossAndGradientEqualAHandComputation(Reduction reduction)
    {
        using var scope = NewDisposeScope();
        var batch = Batch.Random(seed: 13);
        double scale = reduction == Reduction.Mean ? 1.0 / B : 1.0;
        double[] perCompletion = Enumerable.Range(0, B).Select(b => 1.0 / CompletionLengths[b]).ToArray();

        var (loss, grad, signals) = Run(new EntropyObjective(new RlscLossOptions { SampleReduction = reduction }), batch, new string?[B]);

        // loss = scale * sum_i (1/|y_i|) sum_t H(p_t), H(p) = -sum_v p_v log p_v.
        double expected = scale * Enumerable.Range(0, B).Sum(b => batch.CompletionPositions(b).Sum(t => Entropy(batch.LogSoftmax(b, t - 1))) / CompletionLengths[b]);
        Assert.That(loss, Is.EqualTo(expected).Within(Tolerance));
        for (int b = 0; b < B; b++) Assert.That(signals.Coefficient[b], Is.EqualTo(perCompletion[b]).Within(Tolerance));
        AssertGradient(grad, EntropyGradient(batch, perCompletion, scale), "entropy");

        // A mean over all the question's tokens (rather than per completion, then over samples) must be told apart.
        double total = CompletionLengths.Sum();
        Assert.That(MaxDifference(grad, EntropyGradient(batch, CompletionLengths.Select(_ => B / total).ToArray(), scale)), Is.GreaterThan(1e-3));
    }

    [Test]
    public void EntropyOfAnEmptyCompletionIsNotCounted()
    {
        var signals = new EntropyObjective(new RlscLossOptions()).Signals(new QuestionGroup(["1", "2"], [0, 4], Equal), [0, 1], null);
        Assert.That(signals.Coefficient, Is.EqualTo(new[] { 0.0, 0.25 }));
    }

    // ---------- all objectives: micro-batches ----------

    [TestCase(LabelFreeObjectiveKind.Rlsc)]
    [TestCase(LabelFreeObjectiveKind.Ttrl)]
    [TestCase(LabelFreeObjectiveKind.Entropy)]
    [TestCase(LabelFreeObjectiveKind.SelfCertainty)]
    public void MicroBatchLossesAddUpToTheWholeQuestionsLossAndGradient(LabelFreeObjectiveKind kind)
    {
        using var scope = NewDisposeScope();
        var batch = Batch.Random(seed: 21);
        var objective = LabelFreeObjectives.Create(new RlscLossOptions { Objective = kind, Weighting = Weighting.Normalized });
        var group = Group(["7", "7", "8", null]);
        var all = Enumerable.Range(0, B).ToList();
        double scale = objective.Scale(B, 1);

        var whole = batch.Logits();
        var wholeScores = RowScores.FromLogits(whole, batch.Ids(), batch.Mask(), Temperature, objective.Needs);
        var signals = objective.Signals(group, all, objective.UsesScores ? wholeScores : null);
        var wholeLoss = objective.Loss(wholeScores, tensor(signals.Coefficient), scale);
        wholeLoss.backward();

        // The trainer's split: a coupled objective's coefficients come from all N rows; the others' from each batch's own.
        var split = batch.Logits();
        double total = 0;
        foreach (var rows in new[] { new List<int> { 0, 3 }, new List<int> { 1, 2 } })
        {
            var index = tensor(rows.Select(r => (long)r).ToArray());
            var part = RowScores.FromLogits(split.index_select(0, index), batch.Ids().index_select(0, index), batch.Mask().index_select(0, index), Temperature, objective.Needs);
            double[] c = objective.CouplesSamples && objective.UsesScores
                ? rows.Select(r => signals.Coefficient[r]).ToArray()
                : objective.Signals(group, rows, objective.UsesScores ? part : null).Coefficient;
            var loss = objective.Loss(part, tensor(c), scale);
            loss.backward();
            total += loss.item<double>();
        }
        Assert.That(wholeLoss.abs().item<double>(), Is.GreaterThan(1e-6), "a non-trivial loss");
        Assert.That(total, Is.EqualTo(wholeLoss.item<double>()).Within(Tolerance));
        Assert.That(MaxDifference(split.grad!, whole.grad!), Is.LessThan(Tolerance));
    }

    // ---------- helpers: the implementation under test ----------

    static (double Loss, Tensor Grad, SampleSignals Signals) Run(ILabelFreeObjective objective, Batch batch, string?[] answers)
    {
        var logits = batch.Logits();
        var scores = RowScores.FromLogits(logits, batch.Ids(), batch.Mask(), Temperature, objective.Needs);
        var signals = objective.Signals(Group(answers), Enumerable.Range(0, B).ToList(), objective.UsesScores ? scores : null);
        var loss = objective.Loss(scores, tensor(signals.Coefficient), objective.Scale(B, 1));
        loss.backward();
        return (loss.item<double>(), logits.grad!, signals);
    }

    static QuestionGroup Group(string?[] answers) => new(answers, CompletionLengths, Equal);

    // ---------- helpers: the float64 reference ----------

    static double[] HandAdvantages(double[] r, double epsilon)
    {
        double mean = r.Sum() / r.Length;
        double std = Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / (r.Length - 1));
        return r.Select(x => (x - mean) / (std + epsilon)).ToArray();
    }

    /// <summary>d/dz of -scale * sum_b c_b log p(y_b): -scale * c_b * (onehot - p) / T at the scoring positions.</summary>
    static double[,,] PolicyGradient(Batch batch, double[] c, double scale)
    {
        var g = new double[B, T, V];
        for (int b = 0; b < B; b++)
            foreach (int t in batch.CompletionPositions(b))
            {
                double[] p = batch.LogSoftmax(b, t - 1).Select(Math.Exp).ToArray();
                for (int v = 0; v < V; v++) g[b, t - 1, v] = -scale * c[b] * ((v == batch.Id(b, t) ? 1 : 0) - p[v]) / Temperature;
            }
        return g;
    }

    /// <summary>d/dz of scale * sum_b c_b sum_t H(softmax(z_t / T)) = scale * c_b * (-p_v (log p_v + H)) / T.</summary>
    static double[,,] EntropyGradient(Batch batch, double[] c, double scale)
    {
        var g = new double[B, T, V];
        for (int b = 0; b < B; b++)
            foreach (int t in batch.CompletionPositions(b))
            {
                double[] lp = batch.LogSoftmax(b, t - 1);
                double h = Entropy(lp);
                for (int v = 0; v < V; v++) g[b, t - 1, v] = scale * c[b] * (-Math.Exp(lp[v]) * (lp[v] + h)) / Temperature;
            }
        return g;
    }

    static double Entropy(double[] logP) => -logP.Sum(lp => Math.Exp(lp) * lp);

    static void AssertGradient(Tensor grad, double[,,] expected, string what)
    {
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
                for (int v = 0; v < V; v++)
                    Assert.That(grad[b, t, v].item<double>(), Is.EqualTo(expected[b, t, v]).Within(Tolerance), $"{what}: d loss / d logits[{b},{t},{v}]");
    }

    static double MaxDifference(Tensor grad, double[,,] other) =>
        (grad - tensor(other.Cast<double>().ToArray(), [B, T, V], ScalarType.Float64)).abs().max().item<double>();

    static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<double>();

    /// <summary>Random logits in float64; prompt of 2 tokens; completions of 5, 3, 1 and 6 tokens; padding id 4 after.</summary>
    sealed class Batch
    {
        readonly double[,,] logits = new double[B, T, V];
        readonly long[,] ids = new long[B, T];
        readonly long[,] mask = new long[B, T];

        public static Batch Random(int seed)
        {
            var random = new System.Random(seed);
            var batch = new Batch();
            for (int b = 0; b < B; b++)
                for (int t = 0; t < T; t++)
                {
                    for (int v = 0; v < V; v++) batch.logits[b, t, v] = 2 * (random.NextDouble() * 2 - 1);
                    bool completion = t >= PromptLength && t < PromptLength + CompletionLengths[b];
                    bool padding = t >= PromptLength + CompletionLengths[b];
                    batch.ids[b, t] = padding ? V - 1 : random.Next(V);
                    batch.mask[b, t] = completion ? 1 : 0;
                }
            return batch;
        }

        public Tensor Logits() => tensor(logits.Cast<double>().ToArray(), [B, T, V], ScalarType.Float64).requires_grad_();
        public Tensor Ids() => tensor(ids.Cast<long>().ToArray(), [B, T]);
        public Tensor Mask() => tensor(mask.Cast<long>().ToArray(), [B, T]);
        public long Id(int b, int t) => ids[b, t];

        /// <summary>Positions t of row b's completion tokens (each scored by the logits at t - 1).</summary>
        public IEnumerable<int> CompletionPositions(int b) => Enumerable.Range(1, T - 1).Where(t => mask[b, t] == 1);

        public double SequenceLogProb(int b) => CompletionPositions(b).Sum(t => LogSoftmax(b, t - 1)[ids[b, t]]);

        public double[] LogSoftmax(int b, int t)
        {
            double[] z = Enumerable.Range(0, V).Select(v => logits[b, t, v] / Temperature).ToArray();
            double max = z.Max();
            double logSum = max + Math.Log(z.Sum(x => Math.Exp(x - max)));
            return z.Select(x => x - logSum).ToArray();
        }
    }
}
