using Rlsc.Tasks.Tests.Infrastructure;

namespace Rlsc.Tasks.Tests;

/// <summary>Every problem is reported at once, with its code, before anything runs.</summary>
public class ParameterValidationTests
{
    [Test]
    public void FineTune_reports_every_problem_then_fails_once_without_running_rlsc()
    {
        var harness = new TaskHarness();
        var task = new RlscFineTune
        {
            Config = TaskHarness.Item(harness.Path("missing.json")),
            OutputDirectory = TaskHarness.Item(harness.Path("run")),
            Steps = 0,
            Samples = -3,
            Device = "tpu",
            Seed = -1,
        };

        Assert.That(harness.Run(task), Is.False);

        Assert.That(harness.Engine.ErrorCodes, Is.EquivalentTo(new[] { "RLSC092", "RLSC091", "RLSC091", "RLSC091", "RLSC091" }));
        var messages = harness.Engine.Errors.Select(e => e.Message).ToList();
        Assert.That(messages, Has.Some.Contains("missing.json").And.Contains("does not exist"));
        Assert.That(messages, Has.Some.StartsWith("Steps is 0"));
        Assert.That(messages, Has.Some.StartsWith("Samples is -3"));
        Assert.That(messages, Has.Some.EqualTo("Device is 'tpu'; expected one of: auto, cpu, cuda."));
        Assert.That(messages, Has.Some.StartsWith("Seed is -1"));
        // Placed at the task's line in the project, as MSBuild places its own task errors.
        Assert.That(harness.Engine.Errors.Select(e => (e.File, e.LineNumber)).Distinct(),
            Is.EqualTo(new[] { (harness.Engine.ProjectFileOfTaskNode, 42) }));
        Assert.That(harness.Invocations(), Is.Empty, "rlsc must not run when the parameters are wrong");
    }

    [Test]
    public void Evaluate_needs_exactly_one_of_model_and_predictions()
    {
        var harness = new TaskHarness();
        var neither = new RlscEvaluate { Suites = new[] { "math500" }, OutputDirectory = TaskHarness.Item(harness.Path("o")) };
        Assert.That(harness.Run(neither), Is.False);
        Assert.That(harness.Engine.Errors.Single().Message, Does.StartWith("neither Model nor Predictions is set"));

        var both = new TaskHarness();
        string predictions = both.Path("p.jsonl");
        File.WriteAllText(predictions, "{}\n");
        var task = new RlscEvaluate
        {
            Model = "m", Predictions = TaskHarness.Item(predictions), Suites = new[] { "math500" }, OutputDirectory = TaskHarness.Item(both.Path("o")), Samples = 4,
            Reuse = TaskHarness.Item(both.Path("finished")),
        };
        Assert.That(both.Run(task), Is.False);
        Assert.That(both.Engine.Errors.Select(e => e.Message), Has.Some.StartsWith("both Model ('m') and Predictions")
            .And.Some.StartsWith("Samples, Temperature, MaxNewTokens and BatchSize apply to generation")
            .And.Some.StartsWith($"Reuse ('{both.Path("finished")}') applies to generation"));
    }

    [Test]
    public void Evaluate_rejects_bad_suites_and_out_of_range_settings()
    {
        var harness = new TaskHarness();
        var task = new RlscEvaluate
        {
            Model = "m",
            Suites = new[] { "math500,,gsm8k", "two words" },
            OutputDirectory = TaskHarness.Item(harness.Path("o")),
            Temperature = 11,
            MaxNewTokens = 0,
            Limit = -1,
            BatchSize = 0,
        };
        Assert.That(harness.Run(task), Is.False);
        var messages = harness.Engine.Errors.Select(e => e.Message).ToList();
        Assert.That(messages, Has.Some.StartsWith("Suites holds ''").And.Some.StartsWith("Suites holds 'two words'"));
        Assert.That(messages, Has.Some.StartsWith("Temperature is 11").And.Some.StartsWith("MaxNewTokens is 0").And.Some.StartsWith("Limit is -1")
            .And.Some.StartsWith("BatchSize is 0"));
        Assert.That(harness.Engine.ErrorCodes, Is.All.EqualTo("RLSC091"));
    }

    [TestCase("tpu")]
    [TestCase("cuda:0")] // the configuration's device takes it, rlsc --device does not
    public void FineTune_and_Evaluate_refuse_a_device_alike(string device)
    {
        // Both check against the values rlsc --device takes (DeviceName.Kinds), so no stage passes what a later one refuses.
        var fineTune = new TaskHarness();
        fineTune.Run(new RlscFineTune { Config = TaskHarness.Item(fineTune.Path("c.json")), OutputDirectory = TaskHarness.Item(fineTune.Path("run")), Device = device });
        var evaluate = new TaskHarness();
        evaluate.Run(new RlscEvaluate { Model = "m", Suites = new[] { "math500" }, OutputDirectory = TaskHarness.Item(evaluate.Path("o")), Device = device });

        string expected = $"Device is '{device}'; expected one of: auto, cpu, cuda.";
        Assert.That(fineTune.Engine.Errors.Select(e => e.Message), Has.One.EqualTo(expected));
        Assert.That(evaluate.Engine.Errors.Select(e => e.Message), Has.One.EqualTo(expected));
    }

    [Test]
    public void Gate_needs_an_existing_summary()
    {
        var harness = new TaskHarness();
        Assert.That(harness.Run(new RlscGate { Summary = TaskHarness.Item(harness.Path("eval", "summary.json")) }), Is.False);
        Assert.That(harness.Engine.ErrorCodes, Is.EqualTo(new[] { "RLSC092" }));
        Assert.That(harness.Engine.Errors[0].Message, Does.Contain("run the RlscEvaluate target first"));
    }

    [Test]
    public void A_missing_tool_is_reported_with_what_to_do()
    {
        var harness = new TaskHarness();
        var task = new RlscGate { Summary = TaskHarness.Item(harness.Path("s.json")), RlscToolPath = harness.Path("no-such-rlsc") };
        Assert.That(harness.Run(task), Is.False);
        Assert.That(harness.Engine.ErrorCodes, Is.EquivalentTo(new[] { "RLSC092", "RLSC090" }));
        Assert.That(harness.Engine.Errors.Single(e => e.Code == "RLSC090").Message, Does.Contain("no-such-rlsc").And.Contain("does not exist"));
    }
}
