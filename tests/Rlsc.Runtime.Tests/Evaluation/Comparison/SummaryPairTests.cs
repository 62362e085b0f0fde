using Rlsc.Core;
using Rlsc.Core.Evaluation.Comparison;
using Rlsc.Core.Evaluation.Reports;

namespace Rlsc.Runtime.Tests.Evaluation.Comparison;

/// <summary>
/// `rlsc report compare A B`: two evaluation summaries become the before/after report of their kind (greedy, or k
/// samples at T), per suite and macro; summaries of different kinds, suites or problems are refused with RLSC039
/// naming both files.
/// </summary>
public class SummaryPairTests
{
    const string Before = "eval/base/summary.json", After = "eval/finetuned/summary.json";

    /// <summary>A summary of the given suites (name, accuracy); maj@k, pass@k and agreement follow from the accuracy.</summary>
    static EvaluationSummary Summary(int samples, double? temperature, params (string Name, double Accuracy)[] suites)
    {
        string k = samples.ToString(System.Globalization.CultureInfo.InvariantCulture);
        SuiteSummary Suite(double accuracy) => new()
        {
            Count = 40, Samples = samples, Accuracy = accuracy, AvgAtK = accuracy, MajAtK = accuracy + 0.05,
            PassAtK = new Dictionary<string, double> { ["1"] = accuracy, [k] = Math.Min(1, accuracy + 0.2) },
            ExtractionFailureRate = 0.01, MeanResponseLength = 100, ResponseLengthUnit = "tokens", MeanAgreement = 0.5 + accuracy / 2,
            DataSha256 = "ab", Seconds = 3, Selection = new SuiteSelection { SuiteSize = 40, Start = 0, End = 40 },
        };
        var bySuite = suites.ToDictionary(s => s.Name, s => Suite(s.Accuracy));
        double Mean(Func<SuiteSummary, double> pick) => bySuite.Values.Average(pick);
        return new EvaluationSummary
        {
            RlscVersion = "0.1.0",
            Created = DateTimeOffset.UnixEpoch,
            Model = new ModelInfo("m", null, null),
            Settings = new EvaluationSettings { Mode = "predictions", Samples = samples, Temperature = temperature },
            Suites = bySuite,
            Macro = new MacroSummary
            {
                Suites = suites.Length, Accuracy = Mean(s => s.Accuracy), AvgAtK = Mean(s => s.AvgAtK), MajAtK = Mean(s => s.MajAtK),
                PassAtK = new Dictionary<string, double> { [k] = Mean(s => s.PassAtK[k]) },
                ExtractionFailureRate = 0.01, MeanAgreement = Mean(s => s.MeanAgreement),
            },
            Timing = new TimingInfo(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 3),
        };
    }

    [Test]
    public void Two_greedy_evaluations_of_several_suites_give_the_greedy_rows_per_suite_and_their_mean()
    {
        var report = SummaryPair.ToReport(Summary(1, 0, ("amc23", 0.25), ("aime24", 0.5)), Before, Summary(1, null, ("amc23", 0.5), ("aime24", 0.5)), After);
        Assert.That(report.Variants.Keys, Is.EqualTo(new[] { "base-greedy", "rlsc-greedy" }));
        Assert.That(report.GreedyChange, Is.EqualTo(12.5));
        Assert.That(report.SampledChange, Is.Null);
        Assert.That(report.ToMarkdown(), Is.EqualTo("""
            ## RLSC before/after: amc23, aime24 (80 held-out problems)

            | metric | base model | after RLSC | change |
            |---|---:|---:|---:|
            | greedy accuracy | 37.5% | 50.0% | +12.5 pts |

            ### Per suite (the rows above are their unweighted means)

            | suite | metric | base model | after RLSC | change |
            |---|---|---:|---:|---:|
            | amc23 | greedy accuracy | 25.0% | 50.0% | +25.0 pts |
            | aime24 | greedy accuracy | 50.0% | 50.0% | +0.0 pts |

            Greedy: one response per problem.

            """.ReplaceLineEndings("\n")));
    }

    [Test]
    public void Two_sampled_evaluations_give_the_sampled_rows_and_may_differ_in_seed()
    {
        var before = Summary(8, 0.5, ("arith", 0.625));
        var after = Summary(8, 0.5, ("arith", 0.75)) with { Settings = new EvaluationSettings { Mode = "generate", Samples = 8, Temperature = 0.5, Seed = 3 } };
        var report = SummaryPair.ToReport(before, Before, after, After);
        Assert.That((report.Samples, report.TrainingTemperature, report.SampledChange), Is.EqualTo(((int?)8, (double?)0.5, (double?)12.5)));
        Assert.That(report.ToMarkdown(), Is.EqualTo("""
            ## RLSC before/after: arith (40 held-out problems)

            | metric | base model | after RLSC | change |
            |---|---:|---:|---:|
            | sampled accuracy, T=0.5 (mean of 8) | 62.5% | 75.0% | +12.5 pts |
            | maj@8 | 67.5% | 80.0% | +12.5 pts |
            | pass@8 | 82.5% | 95.0% | +12.5 pts |
            | agreement of the 8 samples | 81.3% | 87.5% | +6.3 pts |

            Sampled rows: 8 samples per problem at the temperature shown.

            """.ReplaceLineEndings("\n")));
    }

    static RlscException Refused(EvaluationSummary before, EvaluationSummary after)
    {
        var e = Assert.Throws<RlscException>(() => SummaryPair.ToReport(before, Before, after, After))!;
        Assert.That(e.Code, Is.EqualTo("RLSC039"));
        Assert.That(e.Message, Does.Contain(Before).And.Contain(After), "both files are named");
        return e;
    }

    [Test]
    public void Greedy_against_sampled_is_refused()
    {
        var e = Refused(Summary(1, 0, ("arith", 0.6)), Summary(8, 0.5, ("arith", 0.7)));
        Assert.That(e.Message, Does.Contain("the first is greedy, the second 8 sample(s) per problem at T=0.5"));
    }

    [Test]
    public void Another_k_or_temperature_is_refused()
    {
        Assert.That(Refused(Summary(8, 0.5, ("arith", 0.6)), Summary(4, 0.5, ("arith", 0.7))).Message, Does.Contain("at T=0.5, the second 4 sample(s)"));
        Assert.That(Refused(Summary(8, 0.5, ("arith", 0.6)), Summary(8, 0.25, ("arith", 0.7))).Message, Does.Contain("the second 8 sample(s) per problem at T=0.25"));
    }

    [Test]
    public void Other_suites_or_other_problems_are_refused()
    {
        Assert.That(Refused(Summary(1, 0, ("amc23", 0.6), ("aime24", 0.2)), Summary(1, 0, ("amc23", 0.7))).Message,
            Does.Contain("the first has suites amc23, aime24, the second amc23"));
        var limited = Summary(1, 0, ("amc23", 0.7));
        limited = limited with
        {
            Suites = new Dictionary<string, SuiteSummary> { ["amc23"] = limited.Suites["amc23"] with { Count = 10, Selection = new SuiteSelection { SuiteSize = 40, Limit = 10, Start = 0, End = 10 } } },
        };
        Assert.That(Refused(Summary(1, 0, ("amc23", 0.6)), limited).Message,
            Does.Contain("suite amc23 was evaluated on other problems: 40 problems (indices 0-39 of 40, data sha256 ab) in the first, 10 problems (indices 0-9 of 40"));
        var otherData = Summary(1, 0, ("amc23", 0.7));
        otherData = otherData with { Suites = new Dictionary<string, SuiteSummary> { ["amc23"] = otherData.Suites["amc23"] with { DataSha256 = "cd" } } };
        Assert.That(Refused(Summary(1, 0, ("amc23", 0.6)), otherData).Message, Does.Contain("data sha256 cd) in the second"));
    }

    [Test]
    public void Samples_without_a_recorded_temperature_are_refused_at_their_file()
    {
        var e = Assert.Throws<RlscException>(() => SummaryPair.ToReport(Summary(8, 0.5, ("arith", 0.6)), Before, Summary(8, null, ("arith", 0.7)), After))!;
        Assert.That((e.Code, e.File), Is.EqualTo(("RLSC039", After)));
        Assert.That(e.Message, Does.Contain("8 samples per problem but no temperature recorded").And.Contain("--temperature"));
    }
}
