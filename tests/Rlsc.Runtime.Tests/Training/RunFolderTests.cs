using System.Text.Json;
using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Core.IO;
using Rlsc.Runtime.Training.Loop;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>Run folders: new runs, resume rules, logs cut back to the checkpoint, checkpoints never half written.</summary>
public class RunFolderTests
{
    string dir = "";

    [SetUp]
    public void MakeFolder() => dir = Directory.CreateTempSubdirectory("rlsc-run-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    static string ConfigJson(int steps = 10, string output = "out") =>
        RunConfigJson.ToJson(new FineTuneConfig { Output = output, Training = { Steps = steps } });

    static Checkpoint SaveCheckpoint(RunFolder folder, string name, int step) =>
        folder.Checkpoints.Save(name, new TrainerState { Kind = "finetune", Step = step, ConfigSha256 = folder.ConfigSha256 },
            d => { Directory.CreateDirectory(d); File.WriteAllText(Path.Combine(d, "model.safetensors"), $"weights {step}"); },
            d => File.WriteAllText(Path.Combine(d, TrainerState.OptimizerFileName), "adam"));

    [Test]
    public void ANewRunWritesItsConfigAndRefusesAFolderThatHoldsOne()
    {
        string output = Path.Combine(dir, "run");
        var (folder, from) = RunFolder.Open(output, ConfigJson(), resume: false);
        Assert.That(from, Is.Null);
        Assert.That(File.ReadAllText(folder.ConfigFile), Is.EqualTo(ConfigJson()));
        // A run that failed before its first step can simply be started again.
        Assert.DoesNotThrow(() => RunFolder.Open(output, ConfigJson(steps: 3), resume: false));
        using (var metrics = new JsonlWriter(folder.MetricsFile)) metrics.Write(new { step = 1 });
        var e = Assert.Throws<RlscException>(() => RunFolder.Open(output, ConfigJson(), resume: false))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.RunFolderInUse));
        Assert.That(e.Message, Does.Contain("--resume"));
    }

    [Test]
    public void ResumePicksTheNewestCheckpointAndCutsTheLogsBackToIt()
    {
        string output = Path.Combine(dir, "run");
        var (folder, _) = RunFolder.Open(output, ConfigJson(), resume: false);
        SaveCheckpoint(folder, "step-2", 2);
        SaveCheckpoint(folder, "step-4", 4);
        using (var metrics = new JsonlWriter(folder.MetricsFile))
            for (int s = 1; s <= 5; s++) metrics.Write(new { step = s, loss = 1.0 / s });
        File.AppendAllText(folder.MetricsFile, "{\"step\": 6, \"lo");   // torn line of a killed process
        Directory.CreateDirectory(Path.Combine(folder.Checkpoints.Root, ".tmp-step-6-123"));

        var (again, from) = RunFolder.Open(output, ConfigJson(output: "elsewhere/same"), resume: true);
        Assert.That(from!.State.Step, Is.EqualTo(4));
        Assert.That(Path.GetFileName(from.Directory), Is.EqualTo("step-4"));
        var steps = File.ReadAllLines(again.MetricsFile).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32());
        Assert.That(steps, Is.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(Directory.GetDirectories(folder.Checkpoints.Root).Select(Path.GetFileName), Is.EquivalentTo(new[] { "step-2", "step-4" }));
    }

    [Test]
    public void ResumeWithAnotherConfigurationListsTheDifferences()
    {
        string output = Path.Combine(dir, "run");
        RunFolder.Open(output, ConfigJson(steps: 10), resume: false);
        var e = Assert.Throws<RlscException>(() => RunFolder.Open(output, ConfigJson(steps: 20), resume: true))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.ResumeConfigMismatch));
        Assert.That(e.Message, Does.Contain("training.steps: 10 in the run, 20 now"));
    }

    [Test]
    public void ResumeWithoutARunStartsOne()
    {
        var (folder, from) = RunFolder.Open(Path.Combine(dir, "fresh"), ConfigJson(), resume: true);
        Assert.That(from, Is.Null);
        Assert.That(File.Exists(folder.ConfigFile));
    }

    [Test]
    public void AFailedSaveLeavesNoCheckpointAndTheNextStartCleansUp()
    {
        var (folder, _) = RunFolder.Open(Path.Combine(dir, "run"), ConfigJson(), resume: false);
        SaveCheckpoint(folder, "step-1", 1);
        Assert.Throws<IOException>(() => folder.Checkpoints.Save("step-2", new TrainerState { Step = 2 },
            d => { Directory.CreateDirectory(d); File.WriteAllText(Path.Combine(d, "model.safetensors"), "partial"); },
            _ => throw new IOException("disk full")));
        Assert.That(folder.Checkpoints.Latest()!.State.Step, Is.EqualTo(1));
        Assert.That(Directory.Exists(folder.Checkpoints.StepDirectory(2)), Is.False);
        folder.Checkpoints.DeleteLeftovers();
        Assert.That(Directory.GetDirectories(folder.Checkpoints.Root).Select(Path.GetFileName), Is.EqualTo(new[] { "step-1" }));
    }

    [Test]
    public void ReplacingACheckpointKeepsOneWholeVersion()
    {
        var (folder, _) = RunFolder.Open(Path.Combine(dir, "run"), ConfigJson(), resume: false);
        SaveCheckpoint(folder, "final", 3);
        SaveCheckpoint(folder, "final", 5);
        Assert.That(File.ReadAllText(Path.Combine(folder.Checkpoints.FinalDirectory, "model.safetensors")), Is.EqualTo("weights 5"));
        Assert.That(folder.Checkpoints.Latest()!.State.Step, Is.EqualTo(5));
    }

    [Test]
    public void AtomicWritesNeverLeaveTemporaryFiles()
    {
        string path = Path.Combine(dir, "a", "summary.json");
        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllText(path, "two");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException("boom")));
        Assert.That(File.ReadAllText(path), Is.EqualTo("two"));
        Assert.That(Directory.GetFiles(Path.Combine(dir, "a")), Has.Length.EqualTo(1));
    }
}
