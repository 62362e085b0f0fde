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
}
