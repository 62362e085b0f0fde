using Rlsc.Core.Evaluation.Comparison;

namespace Rlsc.Runtime.Tests.Evaluation.Comparison;

/// <summary>
/// The before/after table and file of `rlsc finetune` for one suite, byte for byte: the Markdown it prints and writes to
/// before-after.md, and before-after.json, whose schema the tests and compare-objectives read back.
/// </summary>
public class BeforeAfterReportTests
{
    string _folder = "";

    [SetUp]
    public void Create() => _folder = EvaluationFixture.TempFolder("before-after");

    [TearDown]
    public void Delete() => Directory.Delete(_folder, recursive: true);

    /// <summary>The embedded default's five variants (README's seed-1 figures), or four without the lowered one.</summary>
    static BeforeAfterReport EmbeddedDefault(bool lowered)
    {
        var variants = new Dictionary<string, VariantScores>
        {
            ["base-greedy"] = new("base-greedy", 0, 1, 256, 200 / 256.0, null, null, null, 1.5),
            ["base-sampled"] = new("base-sampled", 0.5, 8, 256, 1278 / 2048.0, 181 / 256.0, 246 / 256.0, 0.725, 12.25),
            ["rlsc-greedy"] = new("rlsc-greedy", 0, 1, 256, 209 / 256.0, null, null, null, 1.25),
            ["rlsc-sampled"] = new("rlsc-sampled", 0.5, 8, 256, 1548 / 2048.0, 207 / 256.0, 237 / 256.0, 0.875, 11),
        };
        if (lowered) variants["base-lowered"] = new("base-lowered", 0.25, 8, 256, 1415 / 2048.0, 192 / 256.0, 242 / 256.0, 0.805, 12);
        return new BeforeAfterReport
        {
            Suites = ["arith"],
            TrainingTemperature = 0.5,
            Samples = 8,
            LoweredTemperature = lowered ? 0.25 : null,
            Variants = variants,
        };
    }

    const string WithLowered = """
        ## RLSC before/after: arith (256 held-out problems)

        | metric | base model | base at T=0.25 | after RLSC | change |
        |---|---:|---:|---:|---:|
        | sampled accuracy, T=0.5 (mean of 8) | 62.4% | 69.1% | 75.6% | +13.2 pts |
        | greedy accuracy | 78.1% |  | 81.6% | +3.5 pts |
        | maj@8 | 70.7% | 75.0% | 80.9% | +10.2 pts |
        | pass@8 | 96.1% | 94.5% | 92.6% | -3.5 pts |
        | agreement of the 8 samples | 72.5% | 80.5% | 87.5% | +15.0 pts |

        The base model sampled at T=0.25 is the sceptic's alternative: a cooler sampler instead of training. Sampled rows: 8 samples per problem at the temperature shown; greedy: one.

        """;

    const string WithoutLowered = """
        ## RLSC before/after: arith (256 held-out problems)

        | metric | base model | after RLSC | change |
        |---|---:|---:|---:|
        | sampled accuracy, T=0.5 (mean of 8) | 62.4% | 75.6% | +13.2 pts |
        | greedy accuracy | 78.1% | 81.6% | +3.5 pts |
        | maj@8 | 70.7% | 80.9% | +10.2 pts |
        | pass@8 | 96.1% | 92.6% | -3.5 pts |
        | agreement of the 8 samples | 72.5% | 87.5% | +15.0 pts |

        Sampled rows: 8 samples per problem at the temperature shown; greedy: one.

        """;

    [Test]
    public void The_table_of_one_suite_is_the_one_rlsc_finetune_has_always_printed()
    {
        Assert.That(EmbeddedDefault(lowered: true).ToMarkdown(), Is.EqualTo(WithLowered.ReplaceLineEndings("\n")));
        Assert.That(EmbeddedDefault(lowered: false).ToMarkdown(), Is.EqualTo(WithoutLowered.ReplaceLineEndings("\n")));
    }

    [Test]
    public void Saved_and_loaded_the_table_is_the_same()
    {
        var report = EmbeddedDefault(lowered: true);
        report.Save(_folder);
        Assert.That(File.ReadAllText(Path.Combine(_folder, BeforeAfterReport.MarkdownFile)), Is.EqualTo(report.ToMarkdown()));
        Assert.That(BeforeAfterReport.Load(_folder).ToMarkdown(), Is.EqualTo(report.ToMarkdown()));
    }

    const string Json = """
        {
          "schema": "rlsc.before_after/v1",
          "suites": [
            "arith"
          ],
          "training_temperature": 0.5,
          "samples": 8,
          "lowered_temperature": 0.25,
          "variants": {
            "base-greedy": {
              "variant": "base-greedy",
              "temperature": 0,
              "samples": 1,
              "problems": 256,
              "accuracy": 0.78125,
              "maj_at_k": null,
              "pass_at_k": null,
              "agreement": null,
              "seconds": 1.5
            },
            "base-sampled": {
              "variant": "base-sampled",
              "temperature": 0.5,
              "samples": 8,
              "problems": 256,
              "accuracy": 0.6240234375,
              "maj_at_k": 0.70703125,
              "pass_at_k": 0.9609375,
              "agreement": 0.725,
              "seconds": 12.25
            },
            "rlsc-greedy": {
              "variant": "rlsc-greedy",
              "temperature": 0,
              "samples": 1,
              "problems": 256,
              "accuracy": 0.81640625,
              "maj_at_k": null,
              "pass_at_k": null,
              "agreement": null,
              "seconds": 1.25
            },
            "rlsc-sampled": {
              "variant": "rlsc-sampled",
              "temperature": 0.5,
              "samples": 8,
              "problems": 256,
              "accuracy": 0.755859375,
              "maj_at_k": 0.80859375,
              "pass_at_k": 0.92578125,
              "agreement": 0.875,
              "seconds": 11
            },
            "base-lowered": {
              "variant": "base-lowered",
              "temperature": 0.25,
              "samples": 8,
              "problems": 256,
              "accuracy": 0.69091796875,
              "maj_at_k": 0.75,
              "pass_at_k": 0.9453125,
              "agreement": 0.805,
              "seconds": 12
            }
          },
          "greedy_change": 3.52,
          "sampled_change": 13.18,
          "changes_in_points": {
            "greedy_accuracy": 3.52,
            "sampled_accuracy": 13.18
          }
        }

        """;

    [Test]
    public void Before_after_json_keeps_its_schema()
    {
        EmbeddedDefault(lowered: true).Save(_folder);
        string json = File.ReadAllText(Path.Combine(_folder, BeforeAfterReport.JsonFile));
        Assert.That(json, Is.EqualTo(Json.ReplaceLineEndings("\n")));
    }

    /// <summary>Two suites, every variant with its per-suite scores: a real run gates six.</summary>
    static BeforeAfterReport TwoSuites()
    {
        VariantScores V(string name, double temperature, int k, double gsm8k, double math500)
        {
            bool sampled = k > 1;
            SuiteScores Suite(int problems, double accuracy) =>
                new(problems, accuracy, sampled ? accuracy + 0.05 : null, sampled ? accuracy + 0.15 : null, sampled ? 0.5 : null);
            double mean = (gsm8k + math500) / 2;
            return new VariantScores(name, temperature, k, 1819, mean, sampled ? mean + 0.05 : null, sampled ? mean + 0.15 : null, sampled ? 0.5 : null, 60)
            {
                BySuite = new Dictionary<string, SuiteScores> { ["gsm8k"] = Suite(1319, gsm8k), ["math500"] = Suite(500, math500) },
            };
        }
        return BeforeAfterReport.Of(["gsm8k", "math500"],
        [
            V("base-greedy", 0, 1, 0.75, 0.5), V("base-sampled", 0.5, 4, 0.7, 0.4), V("base-lowered", 0.25, 4, 0.72, 0.45),
            V("rlsc-greedy", 0, 1, 0.8, 0.55), V("rlsc-sampled", 0.5, 4, 0.8, 0.5),
        ]);
    }

    [Test]
    public void Several_suites_add_the_same_rows_per_suite_under_their_mean()
    {
        Assert.That(TwoSuites().ToMarkdown(), Is.EqualTo("""
            ## RLSC before/after: gsm8k, math500 (1819 held-out problems)

            | metric | base model | base at T=0.25 | after RLSC | change |
            |---|---:|---:|---:|---:|
            | sampled accuracy, T=0.5 (mean of 4) | 55.0% | 58.5% | 65.0% | +10.0 pts |
            | greedy accuracy | 62.5% |  | 67.5% | +5.0 pts |
            | maj@4 | 60.0% | 63.5% | 70.0% | +10.0 pts |
            | pass@4 | 70.0% | 73.5% | 80.0% | +10.0 pts |
            | agreement of the 4 samples | 50.0% | 50.0% | 50.0% | +0.0 pts |

            ### Per suite (the rows above are their unweighted means)

            | suite | metric | base model | base at T=0.25 | after RLSC | change |
            |---|---|---:|---:|---:|---:|
            | gsm8k | sampled accuracy, T=0.5 (mean of 4) | 70.0% | 72.0% | 80.0% | +10.0 pts |
            | gsm8k | greedy accuracy | 75.0% |  | 80.0% | +5.0 pts |
            | gsm8k | maj@4 | 75.0% | 77.0% | 85.0% | +10.0 pts |
            | gsm8k | pass@4 | 85.0% | 87.0% | 95.0% | +10.0 pts |
            | gsm8k | agreement of the 4 samples | 50.0% | 50.0% | 50.0% | +0.0 pts |
            | math500 | sampled accuracy, T=0.5 (mean of 4) | 40.0% | 45.0% | 50.0% | +10.0 pts |
            | math500 | greedy accuracy | 50.0% |  | 55.0% | +5.0 pts |
            | math500 | maj@4 | 45.0% | 50.0% | 55.0% | +10.0 pts |
            | math500 | pass@4 | 55.0% | 60.0% | 65.0% | +10.0 pts |
            | math500 | agreement of the 4 samples | 50.0% | 50.0% | 50.0% | +0.0 pts |

            The base model sampled at T=0.25 is the sceptic's alternative: a cooler sampler instead of training. Sampled rows: 4 samples per problem at the temperature shown; greedy: one.

            """.ReplaceLineEndings("\n")));
    }

    [Test]
    public void The_per_suite_scores_are_saved_and_loaded_with_the_report()
    {
        var report = TwoSuites();
        report.Save(_folder);
        string json = File.ReadAllText(Path.Combine(_folder, BeforeAfterReport.JsonFile));
        Assert.That(json, Does.Contain("\"by_suite\": {"));
        var loaded = BeforeAfterReport.Load(_folder);
        Assert.That(loaded.Variants["rlsc-sampled"].BySuite!["math500"], Is.EqualTo(new SuiteScores(500, 0.5, 0.55, 0.65, 0.5)));
        Assert.That(loaded.ToMarkdown(), Is.EqualTo(report.ToMarkdown()));
    }

    [Test]
    public void A_report_needs_complete_pairs()
    {
        var one = TwoSuites().Variants;
        Assert.Throws<ArgumentException>(() => BeforeAfterReport.Of(["gsm8k", "math500"], [one["base-greedy"]]));
        Assert.Throws<ArgumentException>(() => BeforeAfterReport.Of(["gsm8k", "math500"], [one["base-lowered"], one["base-greedy"], one["rlsc-greedy"]]));
        Assert.That(BeforeAfterReport.Of(["gsm8k", "math500"], [one["base-greedy"], one["rlsc-greedy"]]).Samples, Is.Null);
    }
}
