using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>
/// `kill -9` while a checkpoint is written leaves temporary folders; the next start removes all of them, including
/// the weight writer's `..tmp-step-N-pid.tmp-GUID` sibling, and nothing else.
/// </summary>
public class CheckpointLeftoverTests
{
    string dir = "";

    [SetUp]
    public void MakeFolder() => dir = Directory.CreateTempSubdirectory("rlsc-leftover-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    [Test]
    public void ResumingAfterAKillDuringACheckpointWriteRemovesEveryTemporaryFolder()
    {
        string output = Path.Combine(dir, "run");
        string config = RunConfigJson.ToJson(new FineTuneConfig { Output = output, Training = { Steps = 10 } });
        var (folder, _) = RunFolder.Open(output, config, resume: false);
        folder.Checkpoints.Save("step-1", new TrainerState { Kind = "finetune", Step = 1, ConfigSha256 = folder.ConfigSha256 },
            d => { Directory.CreateDirectory(d); File.WriteAllText(Path.Combine(d, "model.safetensors"), "weights"); },
            d => File.WriteAllText(Path.Combine(d, TrainerState.OptimizerFileName), "adam"));

        string guid = Guid.NewGuid().ToString("N");
        string[] leftovers =
        [
            $"..tmp-step-2-4242.tmp-{guid}",        // the weight writer killed before its rename (the case): empty
            $"..tmp-step-2-4242.old-{guid}",
            $".final.tmp-{guid}",
            ".tmp-step-2-4242",                      // the store killed after the weights, before its own rename
            ".old-final-4242",
        ];
        foreach (string name in leftovers) Directory.CreateDirectory(Path.Combine(folder.Checkpoints.Root, name));
        File.WriteAllText(Path.Combine(folder.Checkpoints.Root, ".tmp-step-2-4242", "model.safetensors"), "partial");
        // Not ours: a hidden folder a user keeps there is left alone.
        Directory.CreateDirectory(Path.Combine(folder.Checkpoints.Root, ".notes"));

        var (resumed, from) = RunFolder.Open(output, config, resume: true);
        Assert.That(from!.State.Step, Is.EqualTo(1));
        Assert.That(Directory.GetDirectories(resumed.Checkpoints.Root).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { ".notes", "step-1" }));
    }
}
