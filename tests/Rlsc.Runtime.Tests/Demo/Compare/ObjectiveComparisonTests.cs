using Rlsc.Runtime.Demo.Compare;
using Rlsc.Core;
using System.Text.Json;
using Rlsc.Core.Evaluation.Comparison;
using Rlsc.Runtime.Demo.ArithmeticTask;
using Rlsc.Runtime.Demo.Tokenizer;
using Rlsc.Runtime.Evaluation;
using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Expressions;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Metrics;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;

namespace Rlsc.Runtime.Tests.Demo.Compare;

/// <summary>rlsc compare-objectives' pieces that need no training: the tuning set and the table with its seed spread.</summary>
public class ObjectiveComparisonTests
{
    string dir = "";

    [SetUp]
    public void MakeFolder() => dir = Directory.CreateTempSubdirectory("rlsc-compare-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    [Test]
    public void TheTuningSuiteIsTheTrainingFilesQuestionsWithTheGeneratorsAnswers()
    {
        string train = RepositoryRoot.Combine("eval-suites", "data", "arith", "train.jsonl");
        var suite = EvaluationSuite.Load(SuiteCatalog.Find(TrainingQuestionAnswers.WriteSuite(train, dir)));
        var questions = File.ReadAllLines(train).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("question").GetString()).ToList();
        Assert.That(suite.Problems.Select(p => p.Question), Is.EqualTo(questions));
        // The first training question (committed file): "Emma has 49 pencils. She buys 4 boxes with 5 pencils in each and gives 9 pencils to Chloe."
        Assert.That(suite.Problems[0].Gold, Is.EqualTo("60"));
        Assert.That(suite.Problems.All(p => int.TryParse(p.Gold, out _)), Is.True);

        string changed = Path.Combine(dir, "changed.jsonl");
        File.WriteAllLines(changed, File.ReadAllLines(train).Select((l, i) => i == 5 ? l.Replace("How many", "How few") : l));
        var e = Assert.Throws<RlscException>(() => TrainingQuestionAnswers.WriteSuite(changed, Path.Combine(dir, "other")))!;
        Assert.That(e.Message, Does.Contain("training question 6 differs"));
    }

    [Test]
    public void TheTableGivesTheMeanTheSampleStdAndTheRangeOverSeeds()
    {
        BeforeAfterReport Report(double sampled, double greedy) => new()
        {
            Suites = ["arith"], TrainingTemperature = 0.5, Samples = 8, LoweredTemperature = 0.25,
            Variants = new Dictionary<string, VariantScores>
            {
                ["base-greedy"] = new("base-greedy", 0, 1, 256, 0.78, null, null, null, 1),
                ["base-sampled"] = new("base-sampled", 0.5, 8, 256, 0.62, 0.70, 0.96, 0.72, 1),
                ["base-lowered"] = new("base-lowered", 0.25, 8, 256, 0.69, 0.75, 0.94, 0.80, 1),
                ["rlsc-greedy"] = new("rlsc-greedy", 0, 1, 256, greedy, null, null, null, 1),
                ["rlsc-sampled"] = new("rlsc-sampled", 0.5, 8, 256, sampled, 0.80, 0.92, 0.87, 1),
            },
        };
        var runs = new List<ComparisonRun>
        {
            new("rlsc", 1, 3e-5, Report(0.75, 0.80)), new("rlsc", 2, 3e-5, Report(0.73, 0.81)), new("rlsc", 3, 3e-5, Report(0.77, 0.79)),
            new("ttrl", 1, 1e-4, Report(0.70, 0.78)),
        };
        var options = new ObjectiveComparisonOptions { BaseConfig = new FineTuneConfig(), Output = dir };
        var report = ComparisonReport.From(options, new FineTuneConfig { Training = { Steps = 60, QuestionsPerStep = 16 } }, runs,
            [new TuningResult("rlsc", 1e-5, 60, 64, 0.7), new TuningResult("rlsc", 3e-5, 60, 64, 0.74), new TuningResult("rlsc", 1e-4, 60, 64, 0.72)]);

        var rlsc = report.Methods.Single(m => m.Method == "rlsc").Metrics["sampled_accuracy"];
        Assert.That(rlsc.Mean, Is.EqualTo(0.75).Within(1e-12));
        Assert.That(rlsc.Std, Is.EqualTo(0.02).Within(1e-12));   // sample std of 0.75, 0.73, 0.77
        Assert.That((rlsc.Min, rlsc.Max), Is.EqualTo((0.73, 0.77)));
        Assert.That(report.Methods.Select(m => m.Method), Is.EqualTo(new[] { "base model", "base at T=0.25", "rlsc", "ttrl" }));

        string md = report.ToMarkdown();
        Assert.That(md, Does.Contain("| rlsc | 3e-5 | 1, 2, 3 | 75.0% ± 2.0 [73.0%, 77.0%] | 80.0% ± 1.0 [79.0%, 81.0%] |"));
        Assert.That(md, Does.Contain("| ttrl | 1e-4 | 1 | 70.0% | 78.0% |"));
        Assert.That(md, Does.Contain("| base model |  |  | 62.0% | 78.0% | 70.0% | 96.0% | 72.0% |"));
        Assert.That(md, Does.Contain("| rlsc | 70.0% | 74.0% | 72.0% |"), "the tuning table");

        report.Save(dir);
        byte[] png = File.ReadAllBytes(Path.Combine(dir, ComparisonPlot.FileName));
        Assert.That(png[1..4], Is.EqualTo("PNG"u8.ToArray()));
        Assert.That(JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, ComparisonReport.JsonFile))).RootElement.GetProperty("schema").GetString(),
            Is.EqualTo(ComparisonReport.SchemaId));
    }
}
