using Rlsc.Core.Config;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>
/// The run configurations the repository ships (configs/*.json, configs/arith-base/sft.json) load and validate, and the
/// GPU one keeps the paper's setup: a typo there would surface only on a GPU runner, which CI does not have.
/// </summary>
public class CommittedConfigsTests
{
    static string Configs() => RepositoryRoot.Combine("configs");

    [TestCase("default.json")]
    [TestCase("qwen2.5-math-rlsc.json")]
    public void Each_finetune_configuration_loads_and_validates(string name)
    {
        string file = Path.Combine(Configs(), name);
        var config = RunConfigJson.Read<FineTuneConfig>(file);
        Assert.DoesNotThrow(() => RunConfigValidator.Validate(config, file));
    }

    [Test]
    public void The_base_model_recipe_validates()
    {
        string file = Path.Combine(Configs(), "arith-base", "sft.json");
        Assert.DoesNotThrow(() => RunConfigValidator.Validate(RunConfigJson.Read<SftConfig>(file), file));
    }

    [Test]
    public void The_GPU_configuration_is_the_papers_setup()
    {
        var c = RunConfigJson.Read<FineTuneConfig>(Path.Combine(Configs(), "qwen2.5-math-rlsc.json"));
        Assert.That(c.Model, Is.EqualTo("Qwen/Qwen2.5-Math-7B"));
        Assert.That(c.Data.Suite, Is.EqualTo("aime24"));
        Assert.That(c.Data.File, Is.Null);
        Assert.That((c.Sampling.SamplesPerQuestion, c.Sampling.Temperature, c.Sampling.MaxNewTokens), Is.EqualTo((16, 0.5, 3072)));
        Assert.That(c.Optimizer.LearningRate, Is.EqualTo(1e-5));
        Assert.That(c.Loss.Alpha, Is.EqualTo(0.1));
        Assert.That(c.Training.Steps, Is.EqualTo(10));
        Assert.That(c.Lora.Enabled, Is.True, "the 7B model needs LoRA to fit one 80 GB GPU");
    }
}
