using Rlsc.Core.Gate;

namespace Rlsc.Runtime.Tests.Gate;

/// <summary>The verdicts: a good report passes; each kind of regression fails with its own code and a message saying which.</summary>
public class QualityGateTests
{
    static readonly string[] SuiteNames = ["aime24", "amc23", "gsm8k", "math500", "minerva_math", "olympiadbench"];

    [Test]
    public void PassesOnAGoodReport()
    {
        using var fx = new GateFixtures();
        var random = new Random(20250606);
        var suites = SuiteNames.Select(s => (Suite: s, Count: random.Next(30, 1400), Golden: 0.2 + 0.6 * random.NextDouble())).ToList();
        // Each accuracy is within its allowed drop and above its minimum.
        var report = suites.Select(s => (s.Suite, s.Count, Accuracy: s.Golden - 0.02 * random.NextDouble())).ToList();
        string thresholds = fx.Thresholds("good", suites.Select(s =>
            (s.Suite, $"\"min_accuracy\": {GateFixtures.Num(s.Golden - 0.1)}, \"max_drop\": 0.03, \"golden\": {GateFixtures.Num(s.Golden)}, \"count\": {s.Count}")));

        var result = GateFixtures.Run(fx.Summary(report), thresholds);

        Assert.That(result.Passed, Is.True, string.Join("\n", result.Findings.Select(f => f.ToCanonicalString())));
        Assert.That(result.Errors, Is.Empty);
        // max_drop 0.03 is finer than most of these suites can resolve: said as warnings, never as failures.
        Assert.That(result.Warnings.Select(w => w.Code), Is.All.EqualTo("RLSC184"));
        Assert.That(result.Verdicts.Select(v => v.Suite), Is.EqualTo(SuiteNames));
        Assert.That(result.Verdicts.Select(v => v.Verdict), Is.All.EqualTo(Verdict.Pass));
        foreach (var (v, r) in result.Verdicts.Zip(report))
        {
            Assert.That(v.Accuracy, Is.EqualTo(r.Accuracy));
            Assert.That(v.Delta, Is.EqualTo(r.Accuracy - suites.Single(s => s.Suite == r.Suite).Golden).Within(1e-12));
        }
    }

    [Test]
    public void VerdictsAgreeWithAReferenceOnRandomReports()
    {
        // The rule, restated independently in float64: pass iff accuracy >= min and golden - accuracy <= max_drop.
        using var fx = new GateFixtures();
        var random = new Random(7);
        for (int trial = 0; trial < 60; trial++)
        {
            var rows = SuiteNames.Select(s => (Suite: s, Golden: Math.Round(random.NextDouble(), 3), Min: Math.Round(random.NextDouble() * 0.8, 3),
                MaxDrop: Math.Round(random.NextDouble() * 0.2, 3), Accuracy: Math.Round(random.NextDouble(), 4))).ToList();
            string thresholds = fx.Thresholds("random", rows.Select(r => (r.Suite,
                $"\"min_accuracy\": {GateFixtures.Num(r.Min)}, \"max_drop\": {GateFixtures.Num(r.MaxDrop)}, \"golden\": {GateFixtures.Num(Math.Max(r.Golden, r.Min))}")));
            string summary = fx.Summary(rows.Select(r => (r.Suite, 100, r.Accuracy)));

            var result = GateFixtures.Run(summary, thresholds);

            foreach (var r in rows)
            {
                double golden = Math.Max(r.Golden, r.Min);
                bool expected = r.Accuracy >= r.Min - 1e-9 && golden - r.Accuracy <= r.MaxDrop + 1e-9;
                var verdict = result.Verdicts.Single(v => v.Suite == r.Suite);
                Assert.That(verdict.Verdict, Is.EqualTo(expected ? Verdict.Pass : Verdict.Fail), $"trial {trial}, {r}");
            }
            Assert.That(result.Passed, Is.EqualTo(result.Verdicts.All(v => v.Verdict == Verdict.Pass)));
        }
    }

    [Test]
    public void FailsWhenASuiteIsBelowItsThreshold()
    {
        using var fx = new GateFixtures();
        string thresholds = fx.Thresholds("m", [("gsm8k", "\"min_accuracy\": 0.80"), ("math500", "\"min_accuracy\": 0.60")]);
        string summary = fx.Summary([("gsm8k", 1319, 0.85), ("math500", 500, 0.512)]);

        var result = GateFixtures.Run(summary, thresholds);

        Assert.That(result.Passed, Is.False);
        var error = result.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("RLSC080"));
        Assert.That(error.Message, Does.Contain("\"math500\"").And.Contain("0.512").And.Contain("below the minimum 0.600"));
        Assert.That(error.ToCanonicalString(), Does.StartWith($"{summary}(8): error RLSC080: "));
        Assert.That(result.Verdicts.Single(v => v.Suite == "math500").Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(result.Verdicts.Single(v => v.Suite == "gsm8k").Verdict, Is.EqualTo(Verdict.Pass));
    }

    [Test]
    public void ATieWithTheMinimumPasses()
    {
        using var fx = new GateFixtures();
        // 0.3 + 0.1 + 0.2 is 0.6000000000000001 in binary: the gate must not fail a tie on rounding.
        string thresholds = fx.Thresholds("m", [("math500", "\"min_accuracy\": 0.6000000000000001, \"max_drop\": 0.1, \"golden\": 0.7")]);
        var result = GateFixtures.Run(fx.Summary([("math500", 500, 0.6)]), thresholds);
        Assert.That(result.Passed, Is.True);
    }

    [Test]
    public void FailsWhenTheDropFromGoldenExceedsMaxDrop()
    {
        using var fx = new GateFixtures();
        string thresholds = fx.Thresholds("m", [("math500", "\"min_accuracy\": 0.30, \"max_drop\": 0.04, \"golden\": 0.726")]);
        string summary = fx.Summary([("math500", 500, 0.676)]);

        var result = GateFixtures.Run(summary, thresholds);

        var error = result.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("RLSC081"));
        Assert.That(error.Message, Does.Contain("\"math500\"").And.Contain("dropped 0.050 from the golden 0.726").And.Contain("at most 0.040"));
        var verdict = result.Verdicts.Single();
        Assert.That(verdict.Delta, Is.EqualTo(0.676 - 0.726).Within(1e-12));
        Assert.That(verdict.Reason, Does.Contain("drop 0.050 > max 0.040"));
    }

    [Test]
    public void GoldenFileReplacesTheThresholdsGolden()
    {
        using var fx = new GateFixtures();
        string thresholds = fx.Thresholds("m", [("math500", "\"max_drop\": 0.02, \"golden\": 0.50"), ("gsm8k", "\"max_drop\": 0.02, \"golden\": 0.50")]);
        string golden = fx.Summary([("math500", 500, 0.70), ("gsm8k", 1319, 0.52)], name: "golden.json");
        string summary = fx.Summary([("math500", 500, 0.66), ("gsm8k", 1319, 0.51)]);

        var result = GateFixtures.Run(summary, thresholds, golden: golden);

        var error = result.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("RLSC081"));
        Assert.That(error.Message, Does.Contain("\"math500\"").And.Contain("golden 0.700").And.Contain(golden));
        Assert.That(result.Verdicts.Single(v => v.Suite == "gsm8k").Golden, Is.EqualTo(0.52));
    }

    [Test]
    public void FailsWhenTheGoldenFileLacksASuite()
    {
        using var fx = new GateFixtures();
        string thresholds = fx.Thresholds("m", [("math500", "\"max_drop\": 0.02, \"golden\": 0.50"), ("gsm8k", "\"min_accuracy\": 0.1")]);
        string golden = fx.Summary([("math500", 500, 0.50)], name: "golden.json");
        var result = GateFixtures.Run(fx.Summary([("math500", 500, 0.50), ("gsm8k", 1319, 0.5)]), thresholds, golden: golden);
        var error = result.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("RLSC082"));
        Assert.That(error.Message, Does.Contain("\"gsm8k\" is missing from the golden results"));
        Assert.That(error.File, Is.EqualTo(golden));
    }

    [Test]
    public void FailsWhenASuiteIsMissing()
    {
        using var fx = new GateFixtures();
        string thresholds = fx.Thresholds("m", [("gsm8k", "\"min_accuracy\": 0.5"), ("minerva_math", "\"min_accuracy\": 0.1")]);
        string summary = fx.Summary([("gsm8k", 1319, 0.85)]);

        var result = GateFixtures.Run(summary, thresholds);

        var error = result.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("RLSC082"));
        Assert.That(error.Message, Does.Contain("\"minerva_math\" is missing from the report").And.Contain("it has: gsm8k"));
        Assert.That(result.Verdicts.Single(v => v.Suite == "minerva_math").Reason, Is.EqualTo("missing from the report"));
    }

    [Test]
    public void FailsWhenASuiteIsIncomplete()
    {
        using var fx = new GateFixtures();
        string thresholds = fx.Thresholds("m", [("olympiadbench", "\"min_accuracy\": 0.1, \"count\": 675")]);
        var result = GateFixtures.Run(fx.Summary([("olympiadbench", 338, 0.4)]), thresholds);
        var error = result.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("RLSC082"));
        Assert.That(error.Message, Does.Contain("evaluated on 338 questions, expected 675"));
    }

    [Test]
    public void APendingSuiteIsCheckedForPresenceOnlyAndWarns()
    {
        using var fx = new GateFixtures();
        string thresholds = fx.Thresholds("embedded", [("arith", "\"pending\": true")]);

        var present = GateFixtures.Run(fx.Summary([("arith", 200, 0.05)]), thresholds);
        Assert.That(present.Passed, Is.True);
        Assert.That(present.Verdicts.Single().Verdict, Is.EqualTo(Verdict.Pending));
        var warning = present.Warnings.Single();
        Assert.That(warning.Code, Is.EqualTo("RLSC089"));
        Assert.That(warning.ToCanonicalString(), Does.Contain("warning RLSC089").And.Contain("\"arith\""));

        var missing = GateFixtures.Run(fx.Summary([("other", 200, 0.9)], name: "other.json"), thresholds);
        Assert.That(missing.Passed, Is.False);
        Assert.That(missing.Errors.Single().Code, Is.EqualTo("RLSC082"));
    }

    [Test]
    public void SuitesOptionRestrictsTheGateAndRejectsUnknownSuites()
    {
        using var fx = new GateFixtures();
        string thresholds = fx.Thresholds("m", [("gsm8k", "\"min_accuracy\": 0.5"), ("math500", "\"min_accuracy\": 0.5")]);
        string summary = fx.Summary([("gsm8k", 1319, 0.85)]);

        var only = GateFixtures.Run(summary, thresholds, suites: ["gsm8k"]);
        Assert.That(only.Passed, Is.True);

        var unknown = GateFixtures.Run(summary, thresholds, suites: ["gsm8k", "gpqa"]);
        Assert.That(unknown.Errors.Single().Code, Is.EqualTo("RLSC087"));
        Assert.That(unknown.Errors.Single().Message, Does.Contain("\"gpqa\""));
    }

    [Test]
    public void UntrackedSuitesAreShownButNeverFail()
    {
        using var fx = new GateFixtures();
        string thresholds = fx.Thresholds("m", [("gsm8k", "\"min_accuracy\": 0.5")]);
        var result = GateFixtures.Run(fx.Summary([("gsm8k", 1319, 0.85), ("extra", 10, 0.0)]), thresholds);
        Assert.That(result.Passed, Is.True);
        Assert.That(result.Verdicts.Single(v => v.Suite == "extra").Verdict, Is.EqualTo(Verdict.Untracked));
    }

    [Test]
    public void MaxDropWithoutAnyGoldenFailsClosed()
    {
        using var fx = new GateFixtures();
        string thresholds = fx.Thresholds("m", [("gsm8k", "\"max_drop\": 0.02")]);
        var result = GateFixtures.Run(fx.Summary([("gsm8k", 1319, 0.85)]), thresholds);
        Assert.That(result.Errors.Single().Code, Is.EqualTo("RLSC087"));
        Assert.That(result.Errors.Single().Message, Does.Contain("no golden result"));
    }

    [Test]
    public void TableShowsEverySuiteWithItsNumbers()
    {
        using var fx = new GateFixtures();
        string thresholds = fx.Thresholds("m", [("gsm8k", "\"min_accuracy\": 0.80, \"max_drop\": 0.05, \"golden\": 0.863"), ("math500", "\"min_accuracy\": 0.6")]);
        var result = GateFixtures.Run(fx.Summary([("gsm8k", 1319, 0.85), ("math500", 500, 0.5)]), thresholds);

        string[] lines = GateTable.Text(result).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[1], Does.StartWith("suite").And.Contain("metric").And.Contain("value").And.Contain("95% CI").And.Contain("threshold")
            .And.Contain("golden").And.Contain("delta").And.Contain("vs base").And.Contain("p").And.Contain("verdict"));
        // The fixture's intervals are binomial: 0.85 ± 1.96 sqrt(0.85 * 0.15 / 1319), 0.5 ± 1.96 sqrt(0.25 / 500).
        Assert.That(lines.Single(l => l.StartsWith("gsm8k")),
            Does.Match(@"^gsm8k\s+greedy\s+1319\s+0\.850\s+\[0\.831, 0\.869\]\s+0\.800\s+0\.863\s+-0\.013\s+-\s+-\s+-\s+pass$"));
        Assert.That(lines.Single(l => l.StartsWith("math500")),
            Does.Match(@"^math500\s+greedy\s+500\s+0\.500\s+\[0\.456, 0\.544\]\s+0\.600\s+-\s+-\s+-\s+-\s+-\s+FAIL\s+below minimum 0\.600$"));
        Assert.That(lines[^1], Is.EqualTo("Gate FAILED (1 passed, 1 failed, 0 pending; 1 error(s))."));

        string markdown = GateTable.Markdown(result);
        Assert.That(markdown, Does.Contain("| gsm8k | greedy | 1319 | 0.850 | [0.831, 0.869] | 0.800 | 0.863 | -0.013 | - | - | - | pass |  |"));
        Assert.That(markdown, Does.Contain("**error** RLSC080"));
    }
}
