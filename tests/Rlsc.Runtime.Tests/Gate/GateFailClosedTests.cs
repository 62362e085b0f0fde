using Rlsc.Core;
using Rlsc.Core.Gate;

namespace Rlsc.Runtime.Tests.Gate;

/// <summary>
/// Issue 17's gate holes, each a summary that used to pass: duplicate keys, non-finite numbers, trailing content,
/// unknown fields in suite objects, a model the key does not admit, and a question count other than the thresholds'.
/// </summary>
public class GateFailClosedTests
{
    static string PassingThresholds(GateFixtures fx, string models = "[\"test/model\"]") =>
        fx.Thresholds("m", [("arith", "\"min_accuracy\": 0.5, \"count\": 256")], models);

    static RlscException Refused(GateFixtures fx, string summaryText, string? thresholds = null)
    {
        string path = fx.Write("bad.json", summaryText);
        return Assert.Throws<RlscException>(() => GateFixtures.Run(path, thresholds ?? PassingThresholds(fx)))!;
    }

    static string Good(GateFixtures fx, double accuracy = 0.84, int count = 256, string model = "test/model") =>
        File.ReadAllText(fx.Summary([("arith", count, accuracy)], model: model, name: "good.json"));

    [Test]
    public void TheFixtureItselfPasses()
    {
        using var fx = new GateFixtures();
        Assert.That(GateFixtures.Run(fx.Write("ok.json", Good(fx)), PassingThresholds(fx)).Passed, Is.True);
    }

    [Test]
    public void ADuplicateAccuracyIsRefusedNotResolvedToTheLastOne()
    {
        using var fx = new GateFixtures();
        string text = Good(fx).Replace("\"accuracy\": 0.84,", "\"accuracy\": 0.10, \"accuracy\": 0.84,");
        var e = Refused(fx, text);
        Assert.That(e.Code, Is.EqualTo("RLSC084"));
        Assert.That(e.Message, Does.Contain("`suites.arith.accuracy` appears twice"));
        Assert.That(e.Line, Is.EqualTo(7));
    }

    [Test]
    public void AFailingSuiteObjectFollowedByAPassingOneIsRefused()
    {
        using var fx = new GateFixtures();
        string good = Good(fx);
        string line = good.Split('\n').Single(l => l.TrimStart().StartsWith("\"arith\""));
        string text = good.Replace(line, line.Replace("0.84", "0.10") + ",\n" + line);
        var e = Refused(fx, text);
        Assert.That(e.Code, Is.EqualTo("RLSC084"));
        Assert.That(e.Message, Does.Contain("`suites.arith` appears twice"));
        Assert.That(e.Line, Is.EqualTo(8));
    }

    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase("-Infinity")]
    [TestCase("1e999")]
    [TestCase("\"NaN\"")]
    public void NonFiniteAccuraciesAreRefused(string value)
    {
        using var fx = new GateFixtures();
        var e = Refused(fx, Good(fx).Replace("\"accuracy\": 0.84,", $"\"accuracy\": {value},"));
        Assert.That(e.Code, Is.EqualTo("RLSC084"));
        Assert.That(e.Line, Is.EqualTo(7));
    }

    [TestCase("{}")]
    [TestCase("x")]
    [TestCase("\"suites\": {}")]
    public void TrailingContentIsRefused(string trailing)
    {
        using var fx = new GateFixtures();
        var e = Refused(fx, Good(fx) + trailing + "\n");
        Assert.That(e.Code, Is.EqualTo("RLSC084"));
        Assert.That(e.Message, Does.Contain("not valid JSON"));
    }

    [Test]
    public void AnUnknownFieldInASuiteObjectIsRefused()
    {
        using var fx = new GateFixtures();
        var e = Refused(fx, Good(fx).Replace("\"accuracy\": 0.84,", "\"accuracy\": 0.84, \"acuracy\": 0.10,"));
        Assert.That(e.Code, Is.EqualTo("RLSC084"));
        Assert.That(e.Message, Does.Contain("unknown field `suites.arith.acuracy`"));
        Assert.That(e.Line, Is.EqualTo(7));
    }

    [Test]
    public void AFieldTheEvaluationWritesIsNotUnknown()
    {
        using var fx = new GateFixtures();
        string text = Good(fx).Replace("\"accuracy\": 0.84,", "\"accuracy\": 0.84, \"mean_agreement\": 0.9, \"seconds\": 12.5,");
        Assert.That(GateFixtures.Run(fx.Write("ok.json", text), PassingThresholds(fx)).Passed, Is.True);
    }

    [Test]
    public void DuplicateKeysInAThresholdsFileAreRefused()
    {
        using var fx = new GateFixtures();
        string path = fx.Thresholds("m", [("arith", "\"min_accuracy\": 0.9, \"min_accuracy\": 0.1")]);
        var e = Assert.Throws<RlscException>(() => ThresholdsLoader.Load(path))!;
        Assert.That(e.Code, Is.EqualTo("RLSC087"));
        Assert.That(e.Message, Does.Contain("`suites.arith.min_accuracy` appears twice"));
    }

    [Test]
    public void AnEscapedUnpairedSurrogateIsAnErrorInSummariesAndThresholds()
    {
        // System.Text.Json accepts "\ud800" and throws InvalidOperationException only when the string is read.
        using var fx = new GateFixtures();
        var e = Refused(fx, Good(fx).Replace("\"test/model\"", "\"test/\\ud800model\""));
        Assert.That(e.Code, Is.EqualTo("RLSC084"));
        Assert.That(e.Message, Does.Contain("not valid Unicode"));

        string path = fx.Thresholds("m", [("arith", "\"min_accuracy\": 0.5, \"count\": 256")], "[\"test/\\udc00model\"]");
        var t = Assert.Throws<RlscException>(() => ThresholdsLoader.Load(path))!;
        Assert.That(t.Code, Is.EqualTo("RLSC087"));
        Assert.That(t.Message, Does.Contain("not valid Unicode"));
    }

    [TestCase(300)]
    [TestCase(255)]
    public void ACountOtherThanTheThresholdsFailsInEitherDirection(int count)
    {
        using var fx = new GateFixtures();
        var result = GateFixtures.Run(fx.Write("ok.json", Good(fx, count: count)), PassingThresholds(fx));
        Assert.That(result.Passed, Is.False);
        var error = result.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("RLSC082"));
        Assert.That(error.Message, Does.Contain($"{count} questions, expected 256"));
        Assert.That(result.Verdicts.Single(v => v.Suite == "arith").Reason, Does.Contain($"{count} questions, thresholds are for 256"));
    }

    [Test]
    public void ASummaryOfAnotherModelFailsUnderAKeyThatDoesNotAdmitIt()
    {
        using var fx = new GateFixtures();
        string summary = fx.Write("7b.json", Good(fx, model: "Qwen/Qwen2.5-Math-7B"));
        var e = Assert.Throws<RlscException>(() => GateFixtures.Run(summary, PassingThresholds(fx, "[\"Qwen/Qwen2.5-Math-1.5B\"]")))!;
        Assert.That(e.Code, Is.EqualTo("RLSC180"));
        Assert.That(e.Message, Does.Contain("\"Qwen/Qwen2.5-Math-7B\"").And.Contain("does not admit").And.Contain("Qwen/Qwen2.5-Math-1.5B"));
        Assert.That(e.File, Is.EqualTo(summary));
        Assert.That(e.Line, Is.EqualTo(3));
    }

    [Test]
    public void AKeyAdmitsAnyModelOnlyWhenItSaysSo()
    {
        using var fx = new GateFixtures();
        string summary = fx.Write("any.json", Good(fx, model: "Someone/Else"));
        string anyModel = fx.Write("thresholds/m.json", """
            { "schema": "rlsc.gate.thresholds/v1", "model_key": "m", "any_model": true,
              "suites": { "arith": { "metric": "greedy", "min_accuracy": 0.5, "count": 256 } } }
            """);
        Assert.That(GateFixtures.Run(summary, anyModel).Passed, Is.True);

        var empty = Assert.Throws<RlscException>(() => ThresholdsLoader.Load(fx.Thresholds("m", [("arith", "\"min_accuracy\": 0.5")], models: "[]")))!;
        Assert.That(empty.Code, Is.EqualTo("RLSC087"));
        Assert.That(empty.Message, Does.Contain("any_model"));
    }

    [TestCase("qwen2.5-math-1.5b-rlsc", "Qwen/Qwen2.5-Math-7B")]
    [TestCase("qwen2.5-math-1.5b", "Qwen/Qwen2.5-Math-7B")]
    [TestCase("embedded-default", "Qwen/Qwen2.5-Math-7B")]
    [TestCase("embedded-default", "arith-base")]
    [TestCase("qwen2.5-math-7b-rlsc", "Qwen/Qwen2.5-Math-7B")]
    public void TheCommittedKeysRefuseOtherModels(string key, string model)
    {
        // The cases: a 7B summary under the 1.5B keys or the embedded default's; the base model under its
        // fine-tuned model's key.
        using var fx = new GateFixtures();
        string summary = fx.Write("s.json", Good(fx, model: model));
        var e = Assert.Throws<RlscException>(() => GateRunner.Run(new GateOptions
        {
            SummaryFile = summary, ModelKey = key, Freshness = new FreshnessOptions { MaxAge = null },
        }))!;
        Assert.That(e.Code, Is.EqualTo("RLSC180"), key);
    }
}
