using Rlsc.Core;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>The six real suites load from the local mirror (../shared/eval-data) with exact counts and the gold rules of SOURCES.md.</summary>
public class SuiteLoadingTests
{
    [TestCase("aime24", 30, "204")]
    [TestCase("amc23", 40, "27.0")]
    [TestCase("math500", 500, @"\left( 3, \frac{\pi}{2} \right)")]
    [TestCase("minerva_math", 272, "1.6")]
    [TestCase("olympiadbench", 675, "2")]
    [TestCase("gsm8k", 1319, "18")]
    public void RealSuite_LoadsWithItsExactCount(string name, int count, string firstGold)
    {
        var suite = EvaluationSuite.Load(SuiteCatalog.Find(name));
        Assert.That(suite.Problems, Has.Count.EqualTo(count));
        Assert.That(suite.Problems[0].Gold, Is.EqualTo(firstGold));
        Assert.That(suite.Problems.Select(p => p.Index), Is.EqualTo(Enumerable.Range(0, count)));
        Assert.That(suite.Problems, Has.All.Property(nameof(SuiteProblem.Question)).Not.Empty);
        Assert.That(suite.Problems.Select(p => p.Id).Distinct().Count(), Is.EqualTo(count), "ids are unique");
        Assert.That(suite.DataSha256, Is.EqualTo(suite.Manifest.Data.Sha256));
        Assert.That(suite.Manifest.PromptTemplate, Is.EqualTo("qwen25-math-cot"));
        Assert.That(suite.Manifest.Decoding.MaxNewTokens, Is.EqualTo(2048));
        Assert.That(suite.Manifest.Decoding.Temperature, Is.Zero);
    }

    [Test]
    public void GoldRules_FollowSources()
    {
        var aime = EvaluationSuite.Load(SuiteCatalog.Find("aime24"));
        Assert.That(aime.Problems.Select(p => p.Gold), Has.Member("025").And.Member("073"), "leading zeros are kept as written");
        var gsm8k = EvaluationSuite.Load(SuiteCatalog.Find("gsm8k"));
        Assert.That(gsm8k.Problems.Count(p => p.Gold!.Contains(',')), Is.EqualTo(14), "SOURCES.md: thousands commas in 14 rows");
        Assert.That(gsm8k.Problems, Has.None.Property(nameof(SuiteProblem.Gold)).Contains("####"));
        var olympiad = EvaluationSuite.Load(SuiteCatalog.Find("olympiadbench"));
        Assert.That(olympiad.Problems.Count(p => p.Gold!.StartsWith('$') || p.Gold!.EndsWith('$')), Is.Zero, "outer $ removed");
        Assert.That(olympiad.Problems.Select(p => p.Gold), Has.Member("69$,$84"), "inner $,$ separators stay for the grader");
        var tolerant = olympiad.Problems.Where(p => p.Tolerance is not null).ToList();
        Assert.That(tolerant.Select(p => (p.Gold, p.Tolerance)), Is.EqualTo(new[] { ("4.2", (double?)0.1) }), "SOURCES.md: one record has an `error` (its unit, %, is in `unit`)");
        var record = ProblemGrading.Grade("olympiadbench", tolerant[0], "p", [new SampledResponse(@"\boxed{4.25\%}"), new SampledResponse(@"\boxed{4.35}")],
            new MathGrader(olympiad.Manifest.GradingOptions));
        Assert.That(record.Correct, Is.EqualTo(new[] { true, false }), "within the record's ± 0.1, and not beyond");
        Assert.That(new MathGrader().AreEqual("4.25", "4.2"), Is.False, "without the record's tolerance");
        var minerva = EvaluationSuite.Load(SuiteCatalog.Find("minerva_math"));
        Assert.That(minerva.Problems.Select(p => p.Gold), Has.Member("4.5e33").And.Member("np.arcsin(10/13)"));
        Assert.That(minerva.Manifest.GradingOptions.IntegersExact, Is.False);
        var amc = EvaluationSuite.Load(SuiteCatalog.Find("amc23"));
        Assert.That(amc.Problems.Select(p => p.Gold), Has.All.EndsWith(".0"), "JSON numbers are kept as written");
    }

    [Test]
    public void Math500_GoldIsTheAnswerField_ForEveryRow()
    {
        var suite = EvaluationSuite.Load(SuiteCatalog.Find("math500"));
        var answers = File.ReadLines(suite.DataPath).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("answer").GetString()).ToList();
        Assert.That(suite.Problems.Select(p => p.Gold), Is.EqualTo(answers));
    }

    [Test]
    public void Catalog_ListsAndEmbedsTheSixSuites()
    {
        string[] six = ["aime24", "amc23", "gsm8k", "math500", "minerva_math", "olympiadbench"];
        Assert.That(SuiteCatalog.KnownNames(), Is.SupersetOf(six));
        var resources = typeof(SuiteCatalog).Assembly.GetManifestResourceNames();
        Assert.That(resources, Is.SupersetOf(six.Select(s => $"eval-suites/{s}.json")));
        var all = SuiteCatalog.FindAll("math500, gsm8k");
        Assert.That(all.Select(m => m.Name), Is.EqualTo(new[] { "math500", "gsm8k" }));
    }

    [Test]
    public void Catalog_UnknownName_ListsTheKnownOnes()
    {
        var e = Assert.Throws<RlscException>(() => SuiteCatalog.Find("math5000"))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.SuiteNotFound));
        Assert.That(e.Message, Does.Contain("math500").And.Contain("gsm8k"));
    }
}
