using System.Text.Json;
using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Expressions;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Metrics;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;
using Rlsc.Runtime.Evaluation;
using Rlsc.Core.Gate;

namespace Rlsc.Runtime.Tests.Gate;

/// <summary>
/// The gate's statistics against values computed independently in float64 by eng/gate/reference.py
/// (committed output: eng/gate/reference-values.json): clustered standard errors, the paired bootstrap, normal quantiles.
/// </summary>
public class GateStatisticsTests
{
    static JsonElement Reference()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            string file = Path.Combine(dir.FullName, "eng", "gate", "reference-values.json");
            if (File.Exists(file)) return JsonDocument.Parse(File.ReadAllText(file)).RootElement.Clone();
        }
        throw new AssertionException("eng/gate/reference-values.json not found above the test folder");
    }

    static int[] Ints(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetInt32()).ToArray();

    [Test]
    public void ClusteredStandardErrorsMatchTheReference()
    {
        var r = Reference();
        int k = r.GetProperty("k").GetInt32();
        int[] correct = Ints(r, "model_correct");
        bool[] majority = r.GetProperty("model_majority").EnumerateArray().Select(x => x.GetBoolean()).ToArray();

        var avg = correct.Select(c => (double)c / k).ToList();
        Assert.That(ClusteredStandardError.Of(avg), Is.EqualTo(r.GetProperty("avg_at_k").GetProperty("clustered_se").GetDouble()).Within(1e-15));
        var maj = majority.Select(m => m ? 1.0 : 0.0).ToList();
        Assert.That(ClusteredStandardError.Of(maj), Is.EqualTo(r.GetProperty("maj_at_k").GetProperty("clustered_se").GetDouble()).Within(1e-15));
        var pass2 = correct.Select(c => PassAtK.Estimate(k, c, 2)).ToList();
        Assert.That(pass2.Average(), Is.EqualTo(r.GetProperty("pass_at_2").GetProperty("mean").GetDouble()).Within(1e-12));
        Assert.That(ClusteredStandardError.Of(pass2), Is.EqualTo(r.GetProperty("pass_at_2").GetProperty("clustered_se").GetDouble()).Within(1e-12));

        // The point of clustering: 8 samples of a problem are not 8 independent draws; the naive SE is half the real one here.
        double naive = r.GetProperty("avg_at_k").GetProperty("naive_se").GetDouble();
        Assert.That(ClusteredStandardError.Of(avg), Is.GreaterThan(1.5 * naive));

        var interval = ClusteredStandardError.Interval(avg);
        Assert.That(interval.Low, Is.EqualTo(0.675 - ClusteredStandardError.Z95 * 0.075).Within(1e-12));
        Assert.That(interval.High, Is.EqualTo(0.675 + ClusteredStandardError.Z95 * 0.075).Within(1e-12));
    }

    [Test]
    public void StandardErrorsOfDegenerateSuitesAreHonest()
    {
        Assert.That(ClusteredStandardError.Of([1.0]), Is.EqualTo(0.5), "one problem: unknown, not exact");
        Assert.That(ClusteredStandardError.Interval([1.0]), Is.EqualTo(new MetricInterval(0.5, 1 - ClusteredStandardError.Z95 * 0.5, 1, 0.95)));
        Assert.That(ClusteredStandardError.Of([1.0, 1.0, 1.0]), Is.EqualTo(0));
        // k = 1: the binomial sqrt(p (1 - p) / (n - 1)).
        double[] greedy = [1, 0, 1, 1, 0, 1, 1, 1];
        Assert.That(ClusteredStandardError.Of(greedy), Is.EqualTo(Math.Sqrt(0.75 * 0.25 / 7)).Within(1e-15));
    }

    [TestCase("paired_gain_0", 0.0, false)]
    [TestCase("paired_gain_0.05", 0.05, false)]
    [TestCase("paired_reversed", 0.0, true)]
    public void ThePairedBootstrapMatchesTheReference(string name, double minGain, bool reversed)
    {
        var r = Reference();
        int k = r.GetProperty("k").GetInt32();
        var differences = Ints(r, "model_correct").Zip(Ints(r, "base_correct"), (m, b) => (m - b) / (double)k * (reversed ? -1 : 1)).ToList();
        var expected = r.GetProperty(name);

        var result = PairedBootstrap.Run(differences, 0.05, minGain, resamples: 2000, seed: 18);

        Assert.That(result.Problems, Is.EqualTo(20));
        Assert.That(result.MeanDifference, Is.EqualTo(expected.GetProperty("mean_difference").GetDouble()).Within(1e-15));
        Assert.That(result.Low, Is.EqualTo(expected.GetProperty("low").GetDouble()).Within(1e-15));
        Assert.That(result.High, Is.EqualTo(expected.GetProperty("high").GetDouble()).Within(1e-15));
        Assert.That(result.PWorse, Is.EqualTo(expected.GetProperty("p_worse").GetDouble()).Within(1e-15));
        Assert.That(result.PGain, Is.EqualTo(expected.GetProperty("p_gain").GetDouble()).Within(1e-15));
    }

    [Test]
    public void AModelIdenticalToItsBaseShowsNoGainAndNoLoss()
    {
        var result = PairedBootstrap.Run(new double[256], 0.05, 0.05);
        Assert.That(result.MeanDifference, Is.EqualTo(0));
        Assert.That(result.PGain, Is.EqualTo(1), "a trainer that changes nothing cannot show a gain");
        Assert.That(result.PWorse, Is.EqualTo(1), "nor is it worse");
    }

    [TestCase(0.8)]
    [TestCase(0.9)]
    [TestCase(0.95)]
    [TestCase(0.975)]
    [TestCase(0.99)]
    [TestCase(0.001)]
    public void NormalQuantilesMatchTheReference(double p)
    {
        double expected = Reference().GetProperty("normal_quantile").GetProperty(p.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetDouble();
        Assert.That(DetectableDrop.NormalQuantile(p), Is.EqualTo(expected).Within(1e-8));
    }

    [Test]
    public void Aime24GreedyCannotSeeATenPointDrop()
    {
        // Issue 18's example: AIME24, 30 problems, greedy, golden 0.267 (the 7B RLSC model). SE = sqrt(p(1-p)/30) = 0.081;
        // 80% power at alpha 0.05 needs a drop of (1.645 + 0.842) * 0.081 = 0.201.
        var aime = new SuiteThreshold("aime24", 0.105, 0.10, 0.267, 30, false, 9, new GatedMetric(MetricKind.Greedy, 1, 0));
        var power = DetectableDrop.For(aime, 0.05);
        double se = Math.Sqrt(0.267 * 0.733 / 30);
        Assert.That(power.StandardError, Is.EqualTo(se).Within(1e-12));
        Assert.That(power.Drop, Is.EqualTo((1.6448536269514715 + 0.8416212335729144) * se).Within(1e-8));
        Assert.That(power.Drop, Is.GreaterThan(0.10));
        // At best (independent samples) avg@k divides the variance by k: k >= 2.486^2 * 0.267 * 0.733 / (30 * 0.1^2) = 4.03.
        Assert.That(power.SamplesNeeded, Is.EqualTo(5));
    }
}
