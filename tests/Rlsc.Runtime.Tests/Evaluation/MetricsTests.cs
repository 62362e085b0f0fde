using Rlsc.Core;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Metrics;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Runtime.Tests.Evaluation;

public class MetricsTests
{
    /// <summary>pass@k by brute force: the share of k-subsets of n samples holding at least one correct one.</summary>
    static double BruteForcePassAtK(int n, int c, int k)
    {
        int hits = 0, total = 0;
        for (int mask = 0; mask < 1 << n; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) != k) continue;
            total++;
            if ((mask & ((1 << c) - 1)) != 0) hits++; // samples 0..c-1 are the correct ones
        }
        return (double)hits / total;
    }

    [Test]
    public void PassAtK_EqualsTheCombinatorialDefinition()
    {
        for (int n = 1; n <= 12; n++)
            for (int c = 0; c <= n; c++)
                for (int k = 1; k <= n; k++)
                    Assert.That(PassAtK.Estimate(n, c, k), Is.EqualTo(BruteForcePassAtK(n, c, k)).Within(1e-12), $"n={n} c={c} k={k}");
    }

    [Test]
    public void PassAtK_LargeN_IsStable()
    {
        Assert.That(PassAtK.Estimate(1000, 0, 500), Is.Zero);
        Assert.That(PassAtK.Estimate(1000, 1000, 1), Is.EqualTo(1.0));
        Assert.That(PassAtK.Estimate(1000, 10, 1), Is.EqualTo(0.01).Within(1e-12));
        Assert.That(PassAtK.Estimate(1000, 1, 100), Is.EqualTo(0.1).Within(1e-12));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(4, 1, 5));
        Assert.That(PassAtK.ReportedKs(16), Is.EqualTo(new[] { 1, 2, 4, 8, 16 }));
        Assert.That(PassAtK.ReportedKs(5), Is.EqualTo(new[] { 1, 2, 4, 5 }));
        Assert.That(PassAtK.ReportedKs(1), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void MajorityVote_ClustersEquivalentAnswers()
    {
        var grader = new MathGrader();
        var vote = AnswerClusters.Vote([@"\frac{1}{2}", "3", "0.5", null, @"\dfrac12", "3"], grader);
        Assert.That(vote, Is.EqualTo(new MajorityVote(0, 3, 2)));
        var tie = AnswerClusters.Vote(["7", "8", "8", "7"], grader);
        Assert.That(tie, Is.EqualTo(new MajorityVote(0, 2, 2)), "a tie goes to the answer seen first");
        Assert.That(AnswerClusters.Vote([null, null], grader), Is.EqualTo(new MajorityVote(-1, 0, 0)));
    }

    static ProblemRecord Record(int index, bool[] correct, string?[]? extracted = null, bool majorityCorrect = false, double agreement = 1, int length = 10) => new()
    {
        Suite = "toy",
        Index = index,
        Id = index.ToString(),
        Prompt = "p",
        Gold = "1",
        Responses = correct.Select(_ => "r").ToList(),
        Extracted = extracted ?? correct.Select(_ => (string?)"1").ToArray(),
        Rules = correct.Select(_ => "boxed").ToList(),
        Correct = correct,
        Lengths = correct.Select(_ => length).ToList(),
        LengthUnit = "tokens",
        MajorityCorrect = majorityCorrect,
        Agreement = agreement,
    };

    [Test]
    public void SuiteMetrics_AggregateProblemRecords()
    {
        var selection = new SuiteSelection { SuiteSize = 3, Start = 0, End = 3 };
        var records = new[]
        {
            Record(2, [false, false, false, false], [null, "2", "3", "3"], majorityCorrect: false, agreement: 0.5, length: 40),
            Record(0, [true, true, true, true], majorityCorrect: true, agreement: 1, length: 10),
            Record(1, [true, false, false, false], majorityCorrect: false, agreement: 0.75, length: 20),
        };
        var s = SuiteMetrics.Aggregate(records, "abc", 1.5, selection);
        Assert.That(s.Count, Is.EqualTo(3));
        Assert.That(s.Samples, Is.EqualTo(4));
        Assert.That(s.Accuracy, Is.EqualTo((1 + 0.25 + 0) / 3).Within(1e-15));
        Assert.That(s.AvgAtK, Is.EqualTo(s.Accuracy));
        Assert.That(s.MajAtK, Is.EqualTo(1.0 / 3).Within(1e-15));
        Assert.That(s.PassAtK.Keys, Is.EqualTo(new[] { "1", "2", "4" }));
        Assert.That(s.PassAtK["2"], Is.EqualTo((1 + 0.5 + 0) / 3).Within(1e-15));
        Assert.That(s.PassAtK["4"], Is.EqualTo(2.0 / 3).Within(1e-15));
        Assert.That(s.ExtractionFailureRate, Is.EqualTo(1.0 / 12).Within(1e-15));
        Assert.That(s.MeanResponseLength, Is.EqualTo(70.0 * 4 / 12).Within(1e-12));
        Assert.That(s.ResponseLengthUnit, Is.EqualTo("tokens"));
        Assert.That(s.MeanAgreement, Is.EqualTo(0.75).Within(1e-15));
        var reordered = SuiteMetrics.Aggregate(records.Reverse().ToList(), "abc", 1.5, selection);
        Assert.That(reordered with { PassAtK = s.PassAtK, PassAtKCi = s.PassAtKCi }, Is.EqualTo(s), "order-independent");
        Assert.That(reordered.PassAtKCi, Is.EquivalentTo(s.PassAtKCi!), "order-independent intervals");
        Assert.That(reordered.PassAtK, Is.EqualTo(s.PassAtK));
    }

    [Test]
    public void SuiteMetrics_RequireTheSameKEverywhere()
    {
        var e = Assert.Throws<RlscException>(() => SuiteMetrics.Aggregate([Record(0, [true]), Record(1, [true, false])], "x", 0,
            new SuiteSelection { SuiteSize = 2, Start = 0, End = 2 }))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.PredictionsInvalid));
    }

    [Test]
    public void Macro_IsTheUnweightedMean_WithCommonPassAtK()
    {
        var a = SuiteMetrics.Aggregate([Record(0, [true, false])], "x", 0, new SuiteSelection { SuiteSize = 1, Start = 0, End = 1 });
        var b = SuiteMetrics.Aggregate([Record(0, [true, true, false, false]), Record(1, [false, false, false, false])], "y", 0,
            new SuiteSelection { SuiteSize = 2, Start = 0, End = 2 });
        var macro = SuiteMetrics.Macro([a, b]);
        Assert.That(macro.Suites, Is.EqualTo(2));
        Assert.That(macro.Accuracy, Is.EqualTo((0.5 + 0.25) / 2).Within(1e-15));
        Assert.That(macro.PassAtK.Keys, Is.EqualTo(new[] { "1", "2" }));
        Assert.That(macro.MeanResponseLength, Is.EqualTo(10));
    }

    [Test]
    public void ProblemGrading_RecordsExtractionGradesAndAgreement()
    {
        var problem = new SuiteProblem(4, "id-4", "What is 1/2?", @"\frac{1}{2}");
        var samples = new SampledResponse[]
        {
            new(@"so \boxed{0.5}", 7, "eos"),
            new("The answer is 1/2.", 9, "eos"),
            new("I give up", 3, "length"),
            new(@"\boxed{\frac13}", 5, "eos"),
        };
        var record = ProblemGrading.Grade("toy", problem, "PROMPT", samples, new MathGrader());
        Assert.That(record.Index, Is.EqualTo(4));
        Assert.That(record.Id, Is.EqualTo("id-4"));
        Assert.That(record.Extracted, Is.EqualTo(new[] { "0.5", "1/2", null, @"\frac13" }));
        Assert.That(record.Rules, Is.EqualTo(new[] { "boxed", "the_answer_is", "none", "boxed" }));
        Assert.That(record.Correct, Is.EqualTo(new[] { true, true, false, false }));
        Assert.That(record.Lengths, Is.EqualTo(new[] { 7, 9, 3, 5 }));
        Assert.That(record.LengthUnit, Is.EqualTo("tokens"));
        Assert.That(record.FinishReasons, Is.EqualTo(new[] { "eos", "eos", "length", "eos" }));
        Assert.That(record.Majority, Is.EqualTo("0.5"));
        Assert.That(record.MajorityCorrect, Is.True);
        Assert.That(record.Agreement, Is.EqualTo(0.5));
        var chars = ProblemGrading.Grade("toy", problem, "PROMPT", [new SampledResponse("abc")], new MathGrader());
        Assert.That((chars.LengthUnit, chars.Lengths[0], chars.FinishReasons), Is.EqualTo(("chars", 3, (IReadOnlyList<string>?)null)));
    }

    [Test]
    public void Shards_CoverASuiteExactlyOnce()
    {
        foreach (int n in new[] { 1, 2, 3, 7, 30 })
            foreach (int size in new[] { 30, 31, 500, 1319 })
            {
                var covered = Enumerable.Range(0, n).SelectMany(i => { var (s, e) = new ShardSpec(i, n).Range(size); return Enumerable.Range(s, e - s); }).ToList();
                Assert.That(covered, Is.EqualTo(Enumerable.Range(0, size)), $"{n} shards of {size}");
            }
        Assert.That(ShardSpec.Parse("2/4"), Is.EqualTo(new ShardSpec(2, 4)));
        foreach (string bad in new[] { "4/4", "-1/4", "1", "a/b", "1/0" })
            Assert.That(Assert.Throws<RlscException>(() => ShardSpec.Parse(bad))!.Code, Is.EqualTo(ErrorCodes.InvalidArgument), bad);
    }
}
