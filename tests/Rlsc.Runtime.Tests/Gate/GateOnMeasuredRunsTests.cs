using Rlsc.Core;
using Rlsc.Core.Gate;

namespace Rlsc.Runtime.Tests.Gate;

/// <summary>
/// The committed embedded-default thresholds on real evaluations (Fixtures/embedded-default: the avg@8 evaluations at
/// T = 0.5 of `rlsc finetune --config configs/default.json --seed 1`, and of issue 18's no-op run, eng/gate/noop.json;
/// problems.jsonl cut to the fields the gate reads, model names as the Evaluate stage gives them). The fine-tuned
/// model of seed 1 passes; the no-op run, whose "fine-tuned" model is its base, fails; the base model's summary
/// fails the fine-tuned key. Regenerate the fixtures when the default, its base model or the evaluation changes.
/// </summary>
public class GateOnMeasuredRunsTests
{
    static string Fixture(string run)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            string file = Path.Combine(dir.FullName, "tests", "Rlsc.Runtime.Tests", "Gate", "Fixtures", "embedded-default", run, "summary.json");
            if (File.Exists(file)) return file;
        }
        throw new AssertionException($"Fixtures/embedded-default/{run} not found above the test folder");
    }

    static GateResult Gate(string run) => GateRunner.Run(new GateOptions
    {
        SummaryFile = Fixture(run),
        BaselineFile = Fixture("seed1-base"),
        ModelKey = "embedded-default",
        Freshness = new FreshnessOptions { MaxAge = null },
    });

    [Test]
    public void TheFineTunedModelOfSeed1Passes()
    {
        var result = Gate("seed1-finetuned");
        Assert.That(result.Passed, Is.True, string.Join("\n", result.Findings.Select(f => f.ToCanonicalString())) + "\n" + GateTable.Text(result));
        var arith = result.Verdicts.Single();
        Assert.That(arith.Metric, Is.EqualTo("avg@8"));
        Assert.That(arith.Accuracy, Is.EqualTo(1548 / 2048.0));
        Assert.That(arith.Interval!.StandardError, Is.EqualTo(0.0205).Within(0.0001));
        Assert.That(arith.Paired!.MeanDifference, Is.EqualTo((1548 - 1278) / 2048.0).Within(1e-12), "+13.2 points, as docs/embedded-default.md measured");
        Assert.That(arith.Paired.Low, Is.GreaterThan(0.05), "the gain's lower bound clears min_gain");
        Assert.That(arith.Paired.PGain, Is.LessThan(0.001));
    }

    [Test]
    public void TheNoOpRunFails()
    {
        var result = Gate("noop-finetuned");
        Assert.That(result.Passed, Is.False);
        Assert.That(result.Errors.Select(e => e.Code), Is.EquivalentTo(new[] { "RLSC080", "RLSC081", "RLSC182" }));
        var arith = result.Verdicts.Single();
        Assert.That(arith.Paired!.MeanDifference, Is.EqualTo(0), "the no-op model answers exactly as its base");
        Assert.That(arith.Paired.PGain, Is.EqualTo(1));
    }

    [Test]
    public void TheBaseModelsSummaryFailsTheFineTunedKey()
    {
        var e = Assert.Throws<RlscException>(() => Gate("seed1-base"))!;
        Assert.That(e.Code, Is.EqualTo("RLSC180"));
        Assert.That(e.Message, Does.Contain("\"arith-base\""));
    }
}
