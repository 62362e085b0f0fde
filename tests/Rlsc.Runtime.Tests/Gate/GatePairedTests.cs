using Rlsc.Core;
using Rlsc.Core.Gate;

namespace Rlsc.Runtime.Tests.Gate;

/// <summary>
/// The gated metric and the paired before/after gate: a sampled metric is compared only with a summary evaluated
/// that way, and a model must not be worse than its base (and, where asked, better by a margin) on the same problems.
/// </summary>
public class GatePairedTests
{
    const string Paired = "\"metric\": \"avg@8\", \"temperature\": 0.5, \"count\": 40, \"not_worse_than_base\": true, \"min_gain\": 0.05";

    // 40 problems: the base model gets c of 8 right; a trained model gets 2 more on most unsaturated problems.
    static readonly int[] Base = Enumerable.Range(0, 40).Select(i => (i * 5) % 9).ToArray();
    static int[] Shift(int by) => Base.Select(c => Math.Clamp(c + by, 0, 8)).ToArray();

    static GateResult Run(GateFixtures fx, string summary, string? baseline, string body = Paired) =>
        GateRunner.Run(new GateOptions
        {
            SummaryFile = summary,
            BaselineFile = baseline,
            ThresholdsFile = fx.Thresholds("m", [("arith", body)], "[\"trained\"]"),
            Freshness = new FreshnessOptions { MaxAge = null },
        });

    [Test]
    public void ATrainedModelPassesWithItsChangeIntervalAndPValue()
    {
        using var fx = new GateFixtures();
        string baseline = fx.SampledRun("base", "base", Base);
        var result = Run(fx, fx.SampledRun("trained", "trained", Shift(2)), baseline);

        Assert.That(result.Passed, Is.True, string.Join("\n", result.Findings.Select(f => f.ToCanonicalString())));
        var v = result.Verdicts.Single();
        Assert.That(v.Metric, Is.EqualTo("avg@8"));
        Assert.That(v.Paired!.MeanDifference, Is.EqualTo(Shift(2).Zip(Base, (a, b) => (a - b) / 8.0).Average()).Within(1e-12));
        Assert.That(v.Paired.Low, Is.GreaterThan(0.05));
        Assert.That(v.Paired.PGain, Is.LessThan(0.05));
        string table = GateTable.Text(result);
        Assert.That(table, Does.Contain("avg@8").And.Contain(PairedComparison.Signed(v.Paired.MeanDifference)).And.Contain("< 0.0001"));
    }

    [Test]
    public void ATrainerThatChangesNothingFails()
    {
        using var fx = new GateFixtures();
        string baseline = fx.SampledRun("base", "base", Base);
        var result = Run(fx, fx.SampledRun("noop", "trained", Base), baseline);

        Assert.That(result.Passed, Is.False);
        var error = result.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("RLSC182"));
        Assert.That(error.Message, Does.Contain("by more than +0.050").And.Contain("change +0.000").And.Contain("p = 1.0000"));
    }

    [Test]
    public void AModelWorseThanItsBaseFails()
    {
        using var fx = new GateFixtures();
        string baseline = fx.SampledRun("base", "base", Base);
        var result = Run(fx, fx.SampledRun("worse", "trained", Shift(-1)), baseline, "\"metric\": \"avg@8\", \"temperature\": 0.5, \"not_worse_than_base\": true");

        Assert.That(result.Passed, Is.False);
        var error = result.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("RLSC182"));
        Assert.That(error.Message, Does.Contain("is worse than the base model's"));
        Assert.That(result.Verdicts.Single().Paired!.PWorse, Is.LessThan(0.05));
    }

    [Test]
    public void WithoutABaselineAPairedSuiteFails()
    {
        using var fx = new GateFixtures();
        var result = Run(fx, fx.SampledRun("trained", "trained", Shift(2)), baseline: null);
        Assert.That(result.Errors.Single().Code, Is.EqualTo("RLSC183"));
        Assert.That(result.Errors.Single().Message, Does.Contain("--baseline"));
    }

    [Test]
    public void BaselinesOfOtherProblemsOrDataAreRefused()
    {
        using var fx = new GateFixtures();
        string trained = fx.SampledRun("trained", "trained", Shift(2));

        var fewer = Run(fx, trained, fx.SampledRun("short", "base", Base[..39]));
        Assert.That(fewer.Errors.Select(e => e.Code), Does.Contain("RLSC183"));
        Assert.That(string.Join("\n", fewer.Errors.Select(e => e.Message)), Does.Contain("39 problems"));

        var otherData = Run(fx, trained, fx.SampledRun("other", "base", Base, dataSha256: "cd34"));
        Assert.That(otherData.Errors.Single().Code, Is.EqualTo("RLSC183"));
        Assert.That(otherData.Errors.Single().Message, Does.Contain("different data"));
    }

    [Test]
    public void GradesThatDoNotAddUpToTheSummaryAreRefused()
    {
        using var fx = new GateFixtures();
        string baseline = fx.SampledRun("base", "base", Base);
        string trained = fx.SampledRun("trained", "trained", Shift(2));
        // problems.jsonl of another evaluation (the no-op's) beside the trained model's summary.
        fx.SampledRun("noop", "trained", Base);
        File.Copy(Path.Combine(fx.Folder, "noop", "problems.jsonl"), Path.Combine(fx.Folder, "trained", "problems.jsonl"), overwrite: true);

        var result = Run(fx, trained, baseline);
        Assert.That(result.Errors.Single().Code, Is.EqualTo("RLSC183"));
        Assert.That(result.Errors.Single().Message, Does.Contain("not of the same evaluation"));
    }

    [Test]
    public void ADuplicatedProblemLineIsRefused()
    {
        using var fx = new GateFixtures();
        string baseline = fx.SampledRun("base", "base", Base);
        string problems = Path.Combine(fx.Folder, "base", "problems.jsonl");
        File.AppendAllText(problems, File.ReadLines(problems).First() + "\n");
        var result = Run(fx, fx.SampledRun("trained", "trained", Shift(2)), baseline);
        var error = result.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("RLSC183"));
        Assert.That(error.Message, Does.Contain("appears twice"));
        Assert.That(error.Line, Is.EqualTo(41));
    }

    [TestCase(1, 0.5, "evaluated with 1 sample(s) per problem, avg@8 needs exactly 8")]
    [TestCase(8, 1.0, "evaluated at temperature 1, avg@8 needs 0.5")]
    public void ASummaryEvaluatedOtherwiseThanTheMetricFails(int k, double temperature, string expected)
    {
        using var fx = new GateFixtures();
        string summary = fx.SampledRun("other", "trained", Base.Select(c => Math.Min(c, k)).ToArray(), k: k, temperature: temperature);
        var result = Run(fx, summary, baseline: null, "\"metric\": \"avg@8\", \"temperature\": 0.5, \"min_accuracy\": 0.1");
        var error = result.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("RLSC181"));
        Assert.That(error.Message, Does.Contain(expected));
    }

    [Test]
    public void AGatedFigureWithoutItsIntervalFails()
    {
        using var fx = new GateFixtures();
        string summary = fx.SampledRun("trained", "trained", Shift(2));
        string text = File.ReadAllText(summary);
        int start = text.IndexOf("\"accuracy_ci\"", StringComparison.Ordinal);
        int end = text.IndexOf('}', start) + 2;
        File.WriteAllText(summary, text[..start] + text[end..].TrimStart());
        var result = Run(fx, summary, baseline: null, "\"metric\": \"avg@8\", \"temperature\": 0.5, \"min_accuracy\": 0.1");
        Assert.That(result.Errors.Single().Code, Is.EqualTo("RLSC181"));
        Assert.That(result.Errors.Single().Message, Does.Contain("no interval for avg@8"));
    }

    [Test]
    public void MajorityVoteIsGatedOnMajAtK()
    {
        using var fx = new GateFixtures();
        string summary = fx.SampledRun("trained", "trained", Shift(2));
        var result = Run(fx, summary, baseline: null, "\"metric\": \"maj@8\", \"temperature\": 0.5, \"min_accuracy\": 0.1");
        double expected = Shift(2).Average(c => 2 * c > 8 ? 1.0 : 0.0);
        Assert.That(result.Verdicts.Single().Accuracy, Is.EqualTo(expected).Within(1e-12));
        Assert.That(result.Verdicts.Single().Metric, Is.EqualTo("maj@8"));
    }

    [TestCase("\"metric\": \"avg@8\"", "needs its sampling temperature")]
    [TestCase("\"metric\": \"greedy\", \"temperature\": 0.5", "greedy decoding has temperature 0")]
    [TestCase("\"metric\": \"best@8\", \"temperature\": 0.5", "is not a metric")]
    public void AMetricIsSaidCompletely(string body, string expected)
    {
        using var fx = new GateFixtures();
        string path = fx.Thresholds("m", [("arith", body + ", \"min_accuracy\": 0.1")]);
        var e = Assert.Throws<RlscException>(() => ThresholdsLoader.Load(path))!;
        Assert.That(e.Code, Is.EqualTo("RLSC087"));
        Assert.That(e.Message, Does.Contain(expected));
    }

    [Test]
    public void ATemperatureWithoutAMetricIsAnError()
    {
        using var fx = new GateFixtures();
        string path = fx.Write("thresholds/m.json", """
            { "schema": "rlsc.gate.thresholds/v1", "model_key": "m", "models": ["x"],
              "suites": { "arith": { "temperature": 0.5, "min_accuracy": 0.1 } } }
            """);
        var e = Assert.Throws<RlscException>(() => ThresholdsLoader.Load(path))!;
        Assert.That(e.Code, Is.EqualTo("RLSC087"));
        Assert.That(e.Message, Does.Contain("without `metric`"));
    }

    [Test]
    public void AMaxDropBelowWhatTheDataCanDetectIsAWarningNamingFileAndSuite()
    {
        using var fx = new GateFixtures();
        string summary = fx.Summary([("aime24", 30, 0.267)]);
        string thresholds = fx.Thresholds("m", [("aime24", "\"min_accuracy\": 0.1, \"max_drop\": 0.10, \"golden\": 0.267, \"count\": 30")]);
        var result = GateFixtures.Run(summary, thresholds);
        Assert.That(result.Passed, Is.True);
        var warning = result.Warnings.Single();
        Assert.That(warning.Code, Is.EqualTo("RLSC184"));
        Assert.That(warning.File, Is.EqualTo(thresholds));
        Assert.That(warning.Message, Does.Contain("suite \"aime24\"").And.Contain("max_drop 0.100 is below"));

        string explained = GateExplanation.Text(ThresholdsLoader.Load(thresholds));
        Assert.That(explained, Does.Contain("aime24: greedy, 30 problems").And.Contain("WARNING: max_drop 0.100").And.Contain("k >= 5"));
    }
}
