using System.Text.Json.Nodes;
using Rlsc.Core;
using Rlsc.Core.Config;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>The run configuration: defaults are the paper's setup, overrides, and errors that say what to set.</summary>
public class RunConfigTests
{
    string dir = "";

    [SetUp]
    public void MakeFolder() => dir = Directory.CreateTempSubdirectory("rlsc-config-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    string Write(string json)
    {
        string path = Path.Combine(dir, "run.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Test]
    public void DefaultsAreThePapersSetup()
    {
        var c = RunConfigJson.Load<FineTuneConfig>(null, []);
        Assert.Multiple(() =>
        {
            Assert.That(c.Model, Is.EqualTo("Qwen/Qwen2.5-Math-7B"));
            Assert.That(c.Data.Suite, Is.EqualTo("aime24"));
            Assert.That(c.Data.PromptTemplate, Is.EqualTo("qwen25-math-cot"));
            Assert.That(c.Sampling.SamplesPerQuestion, Is.EqualTo(16));
            Assert.That(c.Sampling.Temperature, Is.EqualTo(0.5));
            Assert.That(c.Sampling.MaxNewTokens, Is.EqualTo(3072));
            Assert.That(c.Loss.Alpha, Is.EqualTo(0.1));
            Assert.That(c.Loss.Weighting, Is.EqualTo(Weighting.Paper));
            Assert.That(c.Training.Steps, Is.EqualTo(10));
            Assert.That(c.Optimizer.LearningRate, Is.EqualTo(1e-5));
            Assert.That(c.Optimizer.WeightDecay, Is.EqualTo(0.01));
            Assert.That(c.Lora.Enabled, Is.False);
        });
        Assert.DoesNotThrow(() => RunConfigValidator.Validate(c));
    }

    [Test]
    public void FileValuesThenOverridesApplyAndTheEffectiveConfigRoundTrips()
    {
        string file = Write("""
            {
              // comments are allowed
              "model": "models/tiny",
              "loss": { "weighting": "normalized", "alpha": 0.2 },
              "sampling": { "samples_per_question": 4 },
            }
            """);
        var c = RunConfigJson.Load<FineTuneConfig>(file,
        [
            ConfigOverride.From("--steps", "training.steps", 3),
            ConfigOverride.Parse("loss.alpha=0"),
            ConfigOverride.Parse("lora.targets=[\"q_proj\",\"v_proj\"]"),
            ConfigOverride.Parse("data.file=questions.jsonl"),
        ]);
        Assert.Multiple(() =>
        {
            Assert.That(c.Model, Is.EqualTo("models/tiny"));
            Assert.That(c.Loss.Weighting, Is.EqualTo(Weighting.Normalized));
            Assert.That(c.Loss.Alpha, Is.EqualTo(0.0));
            Assert.That(c.Sampling.SamplesPerQuestion, Is.EqualTo(4));
            Assert.That(c.Sampling.Temperature, Is.EqualTo(0.5), "unset keys keep their defaults");
            Assert.That(c.Training.Steps, Is.EqualTo(3));
            Assert.That(c.Lora.Targets, Is.EqualTo(new[] { "q_proj", "v_proj" }));
            Assert.That(c.Data.File, Is.EqualTo("questions.jsonl"));
        });

        string json = RunConfigJson.ToJson(c);
        Assert.That(JsonNode.Parse(json)!["loss"]!["weighting"]!.GetValue<string>(), Is.EqualTo("normalized"));
        string saved = Path.Combine(dir, "effective.json");
        File.WriteAllText(saved, json);
        Assert.That(RunConfigJson.ToJson(RunConfigJson.Read<FineTuneConfig>(saved)), Is.EqualTo(json));
    }

    [Test]
    public void AnUnknownKeyNamesItsLineAndTheKeysItsSectionAccepts()
    {
        string file = Write("{\n  \"loss\": {\n    \"alpa\": 0.2\n  }\n}\n");
        var e = Assert.Throws<RlscException>(() => RunConfigJson.Load<FineTuneConfig>(file, []))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Code, Is.EqualTo(ErrorCodes.InvalidArgument));
            Assert.That(e.File, Is.EqualTo(file));
            Assert.That(e.Line, Is.EqualTo(3));
            Assert.That(e.Message, Does.Contain("loss.alpa").And.Contain("alpha").And.Contain("weighting"));
        });
    }

    [Test]
    public void AnUnknownEnumValueListsTheAcceptedOnes()
    {
        string file = Write("{\n  \"loss\": { \"weighting\": \"softmax\" }\n}");
        var e = Assert.Throws<RlscException>(() => RunConfigJson.Load<FineTuneConfig>(file, []))!;
        Assert.That(e.Message, Does.Contain("loss.weighting").And.Contain("paper, normalized"));
        Assert.That(e.Line, Is.EqualTo(2));
    }

    [Test]
    public void AWrongTypeSaysWhatWasExpected()
    {
        string file = Write("{ \"training\": { \"steps\": \"ten\" } }");
        var e = Assert.Throws<RlscException>(() => RunConfigJson.Load<FineTuneConfig>(file, []))!;
        Assert.That(e.Message, Does.Contain("training.steps").And.Contain("whole number"));
    }

    [Test]
    public void MalformedJsonNamesTheLine()
    {
        string file = Write("{\n  \"model\": \"x\"\n  \"seed\": 1\n}");
        var e = Assert.Throws<RlscException>(() => RunConfigJson.Load<FineTuneConfig>(file, []))!;
        Assert.That(e.Line, Is.EqualTo(3));
    }

    [Test]
    public void BadOverridesNameTheFlag()
    {
        var unknown = Assert.Throws<RlscException>(() => RunConfigJson.Load<FineTuneConfig>(null, [ConfigOverride.Parse("sampling.temp=0.7")]))!;
        Assert.That(unknown.Message, Does.Contain("--set sampling.temp=0.7").And.Contain("temperature"));
        var badValue = Assert.Throws<RlscException>(() => RunConfigJson.Load<FineTuneConfig>(null, [ConfigOverride.Parse("loss.weighting=raw")]))!;
        Assert.That(badValue.Message, Does.Contain("--set loss.weighting=raw").And.Contain("paper, normalized"));
        var noEquals = Assert.Throws<RlscException>(() => ConfigOverride.Parse("loss.alpha"))!;
        Assert.That(noEquals.Message, Does.Contain("path=value"));
    }

    [Test]
    public void ValidationListsEveryProblemWithWhatToSet()
    {
        var c = new FineTuneConfig();
        c.Sampling.Temperature = 0;
        c.Training.Steps = 0;
        c.Loss.Alpha = -1;
        c.Lora.Targets = ["q_proj", "qkv"];
        c.Lora.Enabled = true;
        c.Dtype = TrainingDType.Bfloat16;   // fine with LoRA
        var e = Assert.Throws<RlscException>(() => RunConfigValidator.Validate(c, "run.json"))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Does.Contain("4 problems"));
            Assert.That(e.Message, Does.Contain("sampling.temperature = 0 must be > 0"));
            Assert.That(e.Message, Does.Contain("training.steps = 0"));
            Assert.That(e.Message, Does.Contain("loss.alpha = -1"));
            Assert.That(e.Message, Does.Contain("\"qkv\" is not a projection"));
            Assert.That(e.Message, Does.Not.Contain("dtype"));
            Assert.That(e.File, Is.EqualTo("run.json"));
        });

        var fullBf16 = new FineTuneConfig { Dtype = TrainingDType.Bfloat16 };
        var bf16 = Assert.Throws<RlscException>(() => RunConfigValidator.Validate(fullBf16))!;
        Assert.That(bf16.Message, Does.Contain("full fine-tuning needs float32").And.Contain("enable lora"));
    }

    [Test]
    public void SftNeedsADataFile()
    {
        var c = RunConfigJson.Load<SftConfig>(null, [ConfigOverride.Parse("model=models/tiny")]);
        var e = Assert.Throws<RlscException>(() => RunConfigValidator.Validate(c))!;
        Assert.That(e.Message, Does.Contain("data.file").And.Contain("--data"));
    }

    [Test]
    public void TheEvaluationSectionIsValidatedWithTheRest()
    {
        var c = new FineTuneConfig();
        c.Training.Steps = 0;
        c.Evaluation.Suites = ["arith"];
        c.Evaluation.Samples = 1;
        c.Evaluation.LoweredTemperature = 0.7;   // above sampling.temperature 0.5
        c.Evaluation.Limit = 0;
        c.Evaluation.BatchSize = 0;
        var e = Assert.Throws<RlscException>(() => RunConfigValidator.Validate(c, "run.json"))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Code, Is.EqualTo(ErrorCodes.InvalidArgument));
            Assert.That(e.File, Is.EqualTo("run.json"));
            Assert.That(e.Message, Does.Contain("5 problems").And.Contain("training.steps = 0"));
            Assert.That(e.Message, Does.Contain("evaluation.samples = 1 must be at least 2"));
            Assert.That(e.Message, Does.Contain("evaluation.lowered_temperature = 0.7 must be above 0 and below sampling.temperature (0.5)"));
            Assert.That(e.Message, Does.Contain("evaluation.limit = 0").And.Contain("evaluation.batch_size = 0"));
        });

        // Every suite is resolved before training starts; an unknown name says which exist.
        var typo = new FineTuneConfig();
        typo.Evaluation.Suites = ["arithh"];
        Assert.That(Assert.Throws<RlscException>(() => RunConfigValidator.Validate(typo))!.Code, Is.EqualTo(ErrorCodes.SuiteNotFound));
        // The section is checked only when it names a suite (off by default).
        var off = new FineTuneConfig();
        off.Evaluation.Samples = 0;
        Assert.DoesNotThrow(() => RunConfigValidator.Validate(off));
    }

    [Test]
    public void AValidatedConfigurationChangedAfterwardsIsValidatedAgain()
    {
        // The trainers validate what they are given unless the command already validated it as it is now.
        var c = new FineTuneConfig();
        RunConfigValidator.Validate(c, "run.json");
        Assert.DoesNotThrow(() => RunConfigValidator.Validate(c));
        c.Training.Steps = 0;
        Assert.That(Assert.Throws<RlscException>(() => RunConfigValidator.Validate(c))!.Message, Does.Contain("training.steps = 0"));
        c.Sampling.Temperature = double.NaN;   // cannot be written as JSON: never taken for validated
        Assert.Throws<RlscException>(() => RunConfigValidator.Validate(c));
    }
}
