using Rlsc.Core;
using System.Globalization;
using System.Text.Json;
using Rlsc.Core.Gate;

namespace Rlsc.Runtime.Tests.Fuzzing;

/// <summary>
/// Mutations of a failing evaluation summary, read by the gate's reader and judged against the embedded default's
/// thresholds: every outcome is a verdict or an RlscException, and a pass is only allowed when a strict reading of
/// the mutated file (no duplicate keys, no NaN, nothing after the object) really shows a passing, complete suite.
/// </summary>
[NonParallelizable]
public class GateFuzzTests
{
    const double MinAccuracy = 0.756;
    const int Count = 256;

    const string FailingSummary = """
        {
          "schema": "rlsc.eval.summary/v1",
          "model": {
            "name": "models/arith-base+rlsc"
          },
          "settings": {
            "samples": 1,
            "temperature": 0
          },
          "suites": {
            "arith": {
              "count": 256,
              "accuracy": 0.5
            }
          }
        }
        """;

    [Test]
    public void MutatedFailingSummariesNeverPassTheGate()
    {
        string path = RepositoryRoot.Combine("eval-suites", "thresholds", "embedded-default.json");
        var thresholds = ThresholdsLoader.Load(path);
        Assert.That(thresholds.Suites["arith"].Count, Is.EqualTo(Count), "the oracle's count is the thresholds' count");
        var seed = EvaluationSummaryReader.Parse(TextMutator.Utf8(FailingSummary), "summary.json");
        Assert.That(QualityGate.Evaluate(seed, thresholds).Passed, Is.False, "the unmutated summary fails the gate");

        FuzzRunner.Run("gate summary", c =>
        {
            c.Input = TextMutator.Mutate(FailingSummary, c.Random);
            var report = EvaluationSummaryReader.Parse(TextMutator.Utf8(c.Input), "summary.json");
            var result = QualityGate.Evaluate(report, thresholds);
            if (!result.Passed || StrictlyPassing(c.Input)) return null;
            return "the gate passed a summary whose strict reading does not pass";
        });
    }

    /// <summary>
    /// The oracle: the mutated text read strictly (duplicate keys refused) holds suites.arith with a finite accuracy of
    /// at least min_accuracy and exactly the thresholds' count.
    /// </summary>
    static bool StrictlyPassing(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowDuplicateProperties = false });
            var arith = document.RootElement.GetProperty("suites").GetProperty("arith");
            double accuracy = arith.GetProperty("accuracy").GetDouble();
            return double.IsFinite(accuracy) && accuracy >= MinAccuracy - 1e-9 && arith.GetProperty("count").GetDouble() == Count;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }
}
