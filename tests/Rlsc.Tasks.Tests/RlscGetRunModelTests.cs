using Rlsc.Core.Config;
using Rlsc.Tasks.Tests.Infrastructure;

namespace Rlsc.Tasks.Tests;

/// <summary>RlscGetRunModel: the run's base model, read from the run folder's config.json with rlsc's own reader.</summary>
public class RlscGetRunModelTests
{
    string _run = null!;
    FakeBuildEngine _engine = null!;

    [SetUp]
    public void SetUp()
    {
        _run = TestPaths.NewTempFolder("rlsc-run-");
        _engine = new FakeBuildEngine();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_run, recursive: true);

    RlscGetRunModel Task() => new() { BuildEngine = _engine, RunDirectory = TaskHarness.Item(_run) };

    [Test]
    public void Reads_the_model_of_the_effective_configuration_rlsc_wrote()
    {
        File.WriteAllText(Path.Combine(_run, "config.json"), RunConfigJson.ToJson(new FineTuneConfig { Model = "models/arith-base", Output = _run }));
        var task = Task();
        Assert.That(task.Execute(), Is.True);
        Assert.That(task.Model, Is.EqualTo("models/arith-base"));
    }

    [Test]
    public void Reads_the_seed_of_the_runs_evaluation_and_its_batch_size_when_it_evaluated()
    {
        var config = new FineTuneConfig { Model = "models/arith-base", Output = _run };
        config.Evaluation.Seed = 7;
        config.Evaluation.BatchSize = 32;
        File.WriteAllText(Path.Combine(_run, "config.json"), RunConfigJson.ToJson(config));
        var task = Task();
        Assert.That(task.Execute(), Is.True);
        Assert.That((task.EvaluationSeed, task.EvaluationBatchSize), Is.EqualTo(("7", "")), "no suites: the run evaluated nothing, so rlsc eval keeps its own batch size");

        config.Evaluation.Suites = ["arith"];
        File.WriteAllText(Path.Combine(_run, "config.json"), RunConfigJson.ToJson(config));
        task = Task();
        Assert.That(task.Execute(), Is.True);
        Assert.That((task.EvaluationSeed, task.EvaluationBatchSize), Is.EqualTo(("7", "32")));
    }

    [Test]
    public void A_run_folder_without_config_json_names_no_model()
    {
        var task = Task();
        Assert.That(task.Execute(), Is.True);
        Assert.That((task.Model, task.EvaluationSeed, task.EvaluationBatchSize), Is.EqualTo(("", "", "")));
        Assert.That(_engine.Errors, Is.Empty);
    }

    [Test]
    public void A_config_json_rlsc_did_not_write_fails_with_rlscs_code_at_the_file()
    {
        string config = Path.Combine(_run, "config.json");
        File.WriteAllText(config, "{\n  \"model\": \"models/arith-base\",\n  \"modle\": \"typo\"\n}");
        var task = Task();
        Assert.That(task.Execute(), Is.False);
        Assert.That(task.Model, Is.Empty);
        var error = _engine.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("RLSC001"));
        Assert.That(error.File, Is.EqualTo(config));
        Assert.That(error.Message, Does.Contain("modle"));
    }
}
