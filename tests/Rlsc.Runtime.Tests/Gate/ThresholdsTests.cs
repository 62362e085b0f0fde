using Rlsc.Core;
using Rlsc.Core.Gate;

namespace Rlsc.Runtime.Tests.Gate;

/// <summary>Thresholds files: validation errors name file, line and field; the committed files are valid and follow the seeding rule.</summary>
public class ThresholdsTests
{
    static RlscException Invalid(GateFixtures fx, string suiteBody, string key = "m", string models = "[\"test/model\"]")
    {
        string path = fx.Thresholds(key, [("gsm8k", suiteBody)], models);
        var e = Assert.Throws<RlscException>(() => ThresholdsLoader.Load(path))!;
        Assert.That(e.Code, Is.EqualTo("RLSC087"));
        Assert.That(e.File, Is.EqualTo(path));
        return e;
    }

    [Test]
    public void AMisspelledFieldIsAnErrorNotASilentlySkippedCheck()
    {
        using var fx = new GateFixtures();
        var e = Invalid(fx, "\"min_acuracy\": 0.8");
        Assert.That(e.Message, Does.Contain("`suites.gsm8k.min_acuracy`").And.Contain("`min_accuracy`"));
        Assert.That(e.Line, Is.EqualTo(6));
    }

    [TestCase("\"min_accuracy\": 80", "fraction in [0, 1]")]
    [TestCase("\"min_accuracy\": \"0.8\"", "must be a number")]
    [TestCase("\"max_drop\": -0.1", "fraction in [0, 1]")]
    [TestCase("\"count\": 1.5, \"min_accuracy\": 0.1", "whole number")]
    [TestCase("\"note\": \"nothing\"", "sets none of")]
    [TestCase("\"pending\": true, \"min_accuracy\": 0.5", "is pending but has numbers")]
    [TestCase("\"pending\": \"yes\"", "true or false")]
    [TestCase("\"min_accuracy\": 0.8, \"golden\": 0.7", "below its own `min_accuracy`")]
    public void BadSuiteEntriesFailNamingTheField(string body, string expected)
    {
        using var fx = new GateFixtures();
        var e = Invalid(fx, body);
        Assert.That(e.Message, Does.Contain("suites.gsm8k").And.Contain(expected));
        Assert.That(e.Line, Is.EqualTo(6));
    }

    [Test]
    public void TheModelKeyMustMatchTheFileName()
    {
        using var fx = new GateFixtures();
        string path = fx.Thresholds("right", [("gsm8k", "\"min_accuracy\": 0.5")]);
        string renamed = Path.Combine(Path.GetDirectoryName(path)!, "wrong.json");
        File.Move(path, renamed);
        var e = Assert.Throws<RlscException>(() => ThresholdsLoader.Load(renamed))!;
        Assert.That(e.Code, Is.EqualTo("RLSC087"));
        Assert.That(e.Message, Does.Contain("\"right\"").And.Contain("wrong.json"));
        Assert.That(e.Line, Is.EqualTo(3));
    }

    [Test]
    public void NotJsonFailsWithALine()
    {
        using var fx = new GateFixtures();
        string path = fx.Write("thresholds/x.json", "{\n  \"schema\": \"rlsc.gate.thresholds/v1\",\n  \"model_key\": x\n}");
        var e = Assert.Throws<RlscException>(() => ThresholdsLoader.Load(path))!;
        Assert.That(e.Code, Is.EqualTo("RLSC087"));
        Assert.That(e.Line, Is.EqualTo(3));
    }

    [Test]
    public void ModelsAreFoundByKeyAndByName()
    {
        using var fx = new GateFixtures();
        fx.Thresholds("alpha", [("gsm8k", "\"min_accuracy\": 0.5")], models: "[\"Org/Alpha-7B\"]");
        string beta = fx.Thresholds("beta", [("gsm8k", "\"min_accuracy\": 0.6")], models: "[\"Org/Beta\"]");
        string folder = Path.GetDirectoryName(beta)!;

        Assert.That(ThresholdsCatalog.ForKey(folder, "beta").Suites["gsm8k"].MinAccuracy, Is.EqualTo(0.6));
        Assert.That(ThresholdsCatalog.ForModelName(folder, "org/alpha-7b").ModelKey, Is.EqualTo("alpha"), "hub ids are case-insensitive");

        var unknownKey = Assert.Throws<RlscException>(() => ThresholdsCatalog.ForKey(folder, "gamma"))!;
        Assert.That(unknownKey.Code, Is.EqualTo("RLSC087"));
        Assert.That(unknownKey.Message, Does.Contain("alpha, beta"));

        var unknownName = Assert.Throws<RlscException>(() => ThresholdsCatalog.ForModelName(folder, "Org/Gamma"))!;
        Assert.That(unknownName.Message, Does.Contain("--model-key"));

        Assert.That(Assert.Throws<RlscException>(() => ThresholdsCatalog.ForKey(folder, "../beta"))!.Code, Is.EqualTo("RLSC001"));
    }

    [Test]
    public void EveryCommittedThresholdsFileIsValid()
    {
        string folder = ThresholdsCatalog.DefaultDirectory();
        var files = ThresholdsCatalog.Files(folder);
        Assert.That(files.Select(Path.GetFileNameWithoutExtension), Is.SupersetOf(new[]
        {
            "qwen2.5-math-1.5b", "qwen2.5-math-1.5b-rlsc", "qwen2.5-math-7b", "qwen2.5-math-7b-rlsc", "embedded-default",
        }));
        foreach (string file in files)
            Assert.DoesNotThrow(() => ThresholdsLoader.Load(file), file);
        Assert.That(ThresholdsCatalog.ForModelName(folder, "Qwen/Qwen2.5-Math-7B").ModelKey, Is.EqualTo("qwen2.5-math-7b"));
    }

    [Test]
    public void TheEmbeddedDefaultFollowsTheRuleFromItsMeasuredSeeds()
    {
        var embedded = ThresholdsCatalog.ForKey(ThresholdsCatalog.DefaultDirectory(), "embedded-default");
        Assert.That(embedded.Suites.Keys, Is.EqualTo(new[] { "arith" }));
        Assert.That(embedded.Models, Is.EqualTo(new[] { "arith-base+rlsc" }), "the fine-tuned model only, never its base");
        Assert.That(embedded.Alpha, Is.EqualTo(0.05));
        var arith = embedded.Suites["arith"];
        Assert.That(arith.Pending, Is.False);
        Assert.That(arith.Metric, Is.EqualTo(new GatedMetric(MetricKind.Avg, 8, 0.5)), "gated on what RLSC moves: avg@8 at T = 0.5");
        Assert.That(arith.Count, Is.EqualTo(256));
        // avg@8 of the fine-tuned model and its standard error clustered by problem, for seeds 1, 2, 3, measured by
        // `dotnet cake --target=Gate --seed=N` (docs/gate.md; the Evaluate stage reuses the fine-tune's own evaluations).
        // When the default or its base model changes, these change with the file, deliberately.
        double[] seeds = [0.755859375, 0.7470703125, 0.76025390625];
        double[] standardErrors = [0.020498, 0.021110, 0.020913];
        double p = seeds.Average();
        double t = Math.Max((DetectableDrop.NormalQuantile(1 - 0.05) + DetectableDrop.ZPower) * standardErrors.Max(), seeds.Max() - seeds.Min());
        double maxDrop = Math.Ceiling(t / 0.005) * 0.005;
        Assert.That(arith.Golden, Is.EqualTo(Math.Round(p, 3)).Within(1e-9));
        Assert.That(arith.MaxDrop, Is.EqualTo(maxDrop).Within(1e-9));
        Assert.That(arith.MinAccuracy, Is.EqualTo(Math.Floor((p - maxDrop) * 1000) / 1000).Within(1e-9));
        // Every measured run has power for max_drop: no run of the default warns RLSC184.
        foreach (double se in standardErrors)
            Assert.That(DetectableDrop.ZPower + DetectableDrop.NormalQuantile(1 - 0.05), Is.LessThan(arith.MaxDrop!.Value / se), $"SE {se}");
        Assert.That(arith.NotWorseThanBase, Is.True);
        Assert.That(arith.MinGain, Is.EqualTo(0.05));
        // The base model's avg@8 (0.624) fails the minimum by far; every seed clears it.
        const double baseAvgAt8 = 0.624;
        Assert.That(arith.MinAccuracy, Is.GreaterThan(baseAvgAt8));
        Assert.That(seeds.Min(), Is.GreaterThanOrEqualTo(arith.MinAccuracy));
    }


    // The paper's table (arXiv 2506.06395; ../shared/docs/rlsc-paper.md), percent, and the suites' sizes.
    static readonly Dictionary<string, double[]> Paper = new()
    {
        // aime24, math500, amc23, gsm8k, olympiadbench, minerva_math
        ["qwen2.5-math-1.5b"] = [3.3, 35.6, 34.7, 73.8, 21.6, 11.4],
        ["qwen2.5-math-1.5b-rlsc"] = [6.7, 62.4, 46.2, 74.6, 29.9, 26.1],
        ["qwen2.5-math-7b"] = [13.3, 51.4, 45.0, 84.3, 15.1, 10.7],
        ["qwen2.5-math-7b-rlsc"] = [26.7, 72.6, 54.7, 86.3, 35.9, 32.4],
    };
    static readonly (string Suite, int Count)[] Suites =
        [("aime24", 30), ("math500", 500), ("amc23", 40), ("gsm8k", 1319), ("olympiadbench", 675), ("minerva_math", 272)];

    [Test]
    public void SeededThresholdsFollowTheDocumentedRule()
    {
        // t = max(2 * sqrt(p (1 - p) / n), 1 / n); min = floor3(max(0, p - t)); max_drop = ceil3(t); golden = p.
        string folder = ThresholdsCatalog.DefaultDirectory();
        foreach (var (key, percents) in Paper)
        {
            var thresholds = ThresholdsCatalog.ForKey(folder, key);
            Assert.That(thresholds.Suites.Keys, Is.EquivalentTo(Suites.Select(s => s.Suite)), key);
            for (int i = 0; i < Suites.Length; i++)
            {
                var (suite, n) = Suites[i];
                double p = percents[i] / 100.0;
                double t = Math.Max(2 * Math.Sqrt(p * (1 - p) / n), 1.0 / n);
                var entry = thresholds.Suites[suite];
                string where = $"{key}/{suite}";
                Assert.That(entry.Golden, Is.EqualTo(p).Within(1e-12), where);
                Assert.That(entry.Count, Is.EqualTo(n), where);
                Assert.That(entry.MinAccuracy, Is.EqualTo(Math.Floor(Math.Max(0, p - t) * 1000 + 1e-9) / 1000).Within(1e-12), where);
                Assert.That(entry.MaxDrop, Is.EqualTo(Math.Ceiling(t * 1000 - 1e-9) / 1000).Within(1e-12), where);
                Assert.That(entry.MaxDrop, Is.GreaterThanOrEqualTo(1.0 / n - 1e-12), $"{where}: one question may always flip");
            }
        }
    }
}
